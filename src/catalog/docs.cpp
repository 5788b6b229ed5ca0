// The Markdown tables of docs/language.md, generated from the catalogue (a test keeps the file equal to them).
#include <string>

#include "catalog/catalog.hpp"
#include "catalog/signatures.hpp"

namespace mcmc::catalog {
namespace {

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\";
    out += c;
  }
  return out;
}

std::string function_table(Group group) {
  std::string out = "| function | signatures | description |\n|---|---|---|\n";
  for (const Function& f : functions()) {
    if (f.group != group) continue;
    std::string sigs;
    for (const std::string& s : f.signatures) sigs += (sigs.empty() ? "`" : "; `") + escape(s) + "`";
    out += "| `" + f.name + "` | " + sigs + " | " + f.doc + " |\n";
  }
  return out;
}

std::string distribution_table() {
  std::string out =
      "| distribution | variate | parameters | functions | description |\n|---|---|---|---|---|\n";
  for (const Distribution& d : distributions()) {
    std::string params;
    for (const Param& p : d.params) {
      if (!params.empty()) params += ", ";
      params += "`" + p.name + "`";
      if (p.kind != ArgKind::Reals)  // "(ints)", "(vector of probabilities)"
        params += std::string(" (") + sig::arg_name(p.kind) + (p.doc.empty() ? "" : " ") + p.doc + ")";
      else if (!p.doc.empty())
        params += " " + p.doc;
    }
    if (params.empty()) params = "–";
    std::string fns;
    for (Suffix s : {kDensity, kUnnormalized, kCdf, kLcdf, kLccdf, kRng}) {
      if ((d.suffixes() & s) == 0) continue;
      std::string n = d.function_name(s);
      fns += (fns.empty() ? "`" : ", `") + n.substr(d.name.size()) + "`";
    }
    out += "| `" + d.name + "` | " + sig::arg_name(d.variate) + " | " + params + " | " + fns +
           " | " + d.doc + " |\n";
  }
  return out;
}

}  // namespace

std::string markdown_table(std::string_view which) {
  if (which == "elementwise") return function_table(Group::Elementwise);
  if (which == "scalar") return function_table(Group::Scalar);
  if (which == "constants") return function_table(Group::Constant);
  if (which == "containers") return function_table(Group::Container);
  if (which == "matrices") return function_table(Group::Matrix);
  if (which == "distributions") return distribution_table();
  return "";
}

}  // namespace mcmc::catalog
