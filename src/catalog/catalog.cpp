// Look-ups in the catalogue: names with suffixes, return types and signature descriptions.
#include "catalog/catalog.hpp"

#include <unordered_map>

#include "catalog/signatures.hpp"

namespace mcmc::catalog {
namespace {

struct SuffixName {
  Suffix suffix;
  const char* continuous;
  const char* discrete;
};

constexpr SuffixName kSuffixes[] = {
    {kDensity, "_lpdf", "_lpmf"}, {kUnnormalized, "_lupdf", "_lupmf"}, {kCdf, "_cdf", "_cdf"},
    {kLcdf, "_lcdf", "_lcdf"},    {kLccdf, "_lccdf", "_lccdf"},        {kRng, "_rng", "_rng"},
};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

template <class T>
const T* find_by_name(const std::vector<T>& table, std::string_view name) {
  static const std::unordered_map<std::string_view, const T*> index = [&] {
    std::unordered_map<std::string_view, const T*> m;
    for (const T& x : table) m.emplace(x.name, &x);
    return m;
  }();
  auto it = index.find(name);
  return it == index.end() ? nullptr : it->second;
}

std::string density_signature(const Distribution& d, Suffix s) {
  std::string out = d.function_name(s) + "(";
  if (s != kRng) out += sig::arg_name(d.variate);
  for (std::size_t i = 0; i < d.params.size(); ++i)
    out += std::string(i == 0 ? (s == kRng ? "" : " | ") : ", ") + sig::arg_name(d.params[i].kind);
  out += ")";
  if (s != kRng) return out + " => real";
  if (d.rng_type) return out + " => vector (array[] vector when the first argument is an array)";
  const char* r = d.discrete() ? "int" : "real";
  return out + " => " + r + " (array[] " + r + " when an argument is a container)";
}

}  // namespace

unsigned Distribution::suffixes() const {
  unsigned s = kDensity | kUnnormalized | (has_rng ? kRng : 0u);
  if (kernel && graph::has_cdf(*kernel)) s |= kCdf | kLcdf | kLccdf;
  return s;
}

std::string Distribution::function_name(Suffix s) const {
  for (const SuffixName& n : kSuffixes)
    if (n.suffix == s) return name + (discrete() ? n.discrete : n.continuous);
  return name;
}

const Function* find_function(std::string_view name) { return find_by_name(functions(), name); }

const Distribution* find_distribution(std::string_view name) {
  return find_by_name(distributions(), name);
}

std::optional<Builtin> resolve(std::string_view name) {
  if (const Function* f = find_function(name)) return Builtin{f, nullptr, kDensity};
  for (const SuffixName& n : kSuffixes)
    for (const char* text : {n.continuous, n.discrete}) {
      if (!ends_with(name, text)) continue;
      const Distribution* d = find_distribution(name.substr(0, name.size() - std::string_view(text).size()));
      if (!d || (d->suffixes() & n.suffix) == 0) continue;
      if (text != (d->discrete() ? n.discrete : n.continuous)) continue;
      return Builtin{nullptr, d, n.suffix};
    }
  return std::nullopt;
}

std::optional<Type> return_type(std::string_view name, const std::vector<Type>& args) {
  std::optional<Builtin> b = resolve(name);
  if (!b) return std::nullopt;
  if (b->function) return b->function->resolve(args);
  if (b->suffix == kRng) return b->distribution->rng_type ? b->distribution->rng_type(args) : sig::rng(*b->distribution, args);
  return sig::density(*b->distribution, args);
}

bool is_builtin(std::string_view name) { return resolve(name).has_value(); }

std::string distribution_function(std::string_view dist) {
  const Distribution* d = find_distribution(dist);
  return d ? d->function_name(kDensity) : "";
}

std::string describe_signatures(std::string_view name) {
  std::optional<Builtin> b = resolve(name);
  if (!b) return "";
  if (b->distribution) return density_signature(*b->distribution, b->suffix);
  std::string out;
  for (const std::string& s : b->function->signatures) {
    if (!out.empty()) out += "; ";
    out += b->function->name + s;
  }
  return out;
}

}  // namespace mcmc::catalog
