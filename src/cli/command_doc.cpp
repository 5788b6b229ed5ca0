// describe(): the CLI11 App tree read back as plain data (options, descriptions, defaults, allowed values).
#include <algorithm>

#include "cli/generated_docs.hpp"

namespace mcmc::cli {

namespace {

/// The values of a validator described as "{a,b,c}" (CLI::IsMember) or "{a->1,b->2}"
/// (CLI::CheckedTransformer / CLI::Transformer: the accepted keys).
std::vector<std::string> set_values(const std::string& description) {
  std::vector<std::string> out;
  if (description.size() < 2 || description.front() != '{' || description.back() != '}') return out;
  const std::string body = description.substr(1, description.size() - 2);
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find(',', start);
    if (end == std::string::npos) end = body.size();
    std::string item = body.substr(start, end - start);
    if (const auto arrow = item.find("->"); arrow != std::string::npos) item.resize(arrow);
    if (!item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

OptionDoc describe_option(const CLI::Option& opt) {
  OptionDoc d;
  for (const std::string& n : opt.get_lnames()) d.long_names.push_back("--" + n);
  for (const std::string& n : opt.get_snames()) d.short_names.push_back("-" + n);
  if (d.long_names.empty() && d.short_names.empty()) d.positional = opt.get_name();
  d.description = opt.get_description();
  d.default_value = opt.get_default_str();
  d.required = opt.get_required();
  if (!(opt.get_items_expected_max() == 0 && opt.get_positional() == false)) {
    const std::string type = opt.get_type_name();  // "INT:POSITIVE", "TEXT:{nuts,hmc}"
    d.value_type = type.substr(0, type.find(':'));
    if (d.value_type.empty()) d.value_type = "TEXT";
    d.repeatable = opt.get_items_expected_max() > 1 || opt.get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll;
  } else {
    d.default_value.clear();  // a flag's "default" is "false"
  }
  // CLI11 hands out validators only from a non-const Option; reading them changes nothing.
  auto& mutable_opt = const_cast<CLI::Option&>(opt);
  for (int i = 0;; ++i) {
    const CLI::Validator* v = nullptr;
    try {
      v = mutable_opt.get_validator(i);
    } catch (const CLI::OptionNotFound&) {
      break;
    }
    for (std::string& value : set_values(v->get_description())) d.choices.push_back(std::move(value));
  }
  return d;
}

bool is_hidden(const CLI::App* app) { return app->get_group().empty(); }

}  // namespace

CommandDoc describe(const CLI::App& app) {
  CommandDoc doc;
  doc.name = app.get_name();
  doc.description = app.get_description();
  doc.footer = app.get_footer();
  std::vector<OptionDoc> positionals;
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_group().empty()) continue;  // hidden
    OptionDoc d = describe_option(*opt);
    (d.positional.empty() ? doc.options : positionals).push_back(std::move(d));
  }
  // A fallthrough subcommand also accepts its parent's options (e.g. `mcmc run --config FILE`).
  if (app.get_fallthrough() && app.get_parent() != nullptr) {
    for (const CLI::Option* opt : app.get_parent()->get_options()) {
      if (opt->get_group().empty() || opt->get_lnames().empty()) continue;
      const std::string name = opt->get_lnames().front();
      if (name == "help" || name == "version") continue;
      bool own = false;
      for (const OptionDoc& d : doc.options) own = own || std::count(d.long_names.begin(), d.long_names.end(), "--" + name);
      if (own) continue;
      OptionDoc d = describe_option(*opt);
      d.inherited = true;
      doc.options.push_back(std::move(d));
    }
  }
  for (OptionDoc& p : positionals) doc.options.push_back(std::move(p));
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    if (!is_hidden(sub)) doc.subcommands.push_back(describe(*sub));
  return doc;
}

}  // namespace mcmc::cli
