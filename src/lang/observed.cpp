// Which data variables a model observes: the outcomes of its sampling statements (for ArviZ's observed_data).
#include "lang/observed.hpp"

namespace mcmc::lang {

namespace {

/// The variable an outcome expression reads: `y` or `y[...]` (nested indexing too); "" otherwise.
std::string outcome_variable(const Expr& e) {
  if (e.kind == ExprKind::Var) return e.name;
  if (e.kind == ExprKind::Index && !e.args.empty()) return outcome_variable(e.args[0]);
  return "";
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

bool is_density_call(const Expr& e) {
  return e.kind == ExprKind::Call && !e.args.empty() &&
         (ends_with(e.name, "_lpdf") || ends_with(e.name, "_lpmf") || ends_with(e.name, "_lupdf") ||
          ends_with(e.name, "_lupmf"));
}

/// Outcomes of density calls anywhere in `e` (target += a_lpdf(y | ...) + b_lpmf(k | ...)).
void collect_calls(const Expr& e, std::set<std::string>& out) {
  if (is_density_call(e)) out.insert(outcome_variable(e.args[0]));
  for (const Expr& a : e.args) collect_calls(a, out);
}

void collect(const std::vector<Stmt>& stmts, std::set<std::string>& out) {
  for (const Stmt& s : stmts) {
    if (s.kind == StmtKind::Tilde && !s.exprs.empty()) out.insert(outcome_variable(s.exprs[0]));
    if (s.kind == StmtKind::TargetPlus && !s.exprs.empty()) collect_calls(s.exprs[0], out);
    collect(s.body, out);
    collect(s.else_body, out);
  }
}

}  // namespace

std::set<std::string> observed_data(const Program& program) {
  std::set<std::string> outcomes;
  collect(program.block(BlockKind::Model).stmts, outcomes);
  std::set<std::string> observed;
  for (const Stmt& s : program.block(BlockKind::Data).stmts)
    if (s.kind == StmtKind::Decl && s.decl && outcomes.count(s.decl->name)) observed.insert(s.decl->name);
  return observed;
}

}  // namespace mcmc::lang
