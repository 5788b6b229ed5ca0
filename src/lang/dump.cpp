// The AST printed back as an indented S-expression dump (golden tests and `mcmc parse`).
#include <cmath>
#include <cstdio>
#include <string>

#include "lang/ast.hpp"
#include "lang/frontend.hpp"

namespace mcmc::lang {

namespace {

/// Shortest decimal text that reads back as the same double, always with a '.' or exponent.
std::string real_text(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  std::string s = buf;
  if (s.find_first_of(".en") == std::string::npos) s += ".0";
  return s;
}

std::string expr(const Expr& e);

std::string index_text(const Index& ix) {
  switch (ix.kind) {
    case Index::Kind::Single: return expr(ix.bounds[0]);
    case Index::Kind::Range: return "(: " + expr(ix.bounds[0]) + " " + expr(ix.bounds[1]) + ")";
    case Index::Kind::Lower: return "(: " + expr(ix.bounds[0]) + " _)";
    case Index::Kind::Upper: return "(: _ " + expr(ix.bounds[0]) + ")";
    case Index::Kind::All: return ":";
  }
  return "?";
}

std::string list(const std::string& head, const std::vector<Expr>& args) {
  std::string s = "(" + head;
  for (const Expr& a : args) s += " " + expr(a);
  return s + ")";
}

std::string expr_untyped(const Expr& e) {
  switch (e.kind) {
    case ExprKind::IntLit: return std::to_string(e.int_value);
    case ExprKind::RealLit: return real_text(e.real_value);
    case ExprKind::StringLit: return "\"" + e.name + "\"";
    case ExprKind::Var: return e.name;
    case ExprKind::Unary:
    case ExprKind::Binary: return list(e.name, e.args);
    case ExprKind::Cond: return list("?:", e.args);
    case ExprKind::Call: {
      std::string s = "(" + e.name;
      for (std::size_t i = 0; i < e.args.size(); ++i)
        s += (e.bar && i == 1 ? " | " : " ") + expr(e.args[i]);
      return s + ")";
    }
    case ExprKind::Index: {
      std::string s = "([] " + expr(e.args[0]);
      for (const Index& ix : e.indices) s += " " + index_text(ix);
      return s + ")";
    }
    case ExprKind::ArrayLit: return list("array", e.args);
    case ExprKind::RowVectorLit: return list("row_vector", e.args);
    case ExprKind::TargetCall: return "(target)";
  }
  return "?";
}

/// An expression; its type follows in braces once the checker has filled it in.
std::string expr(const Expr& e) {
  std::string s = expr_untyped(e);
  if (e.type.base != BaseType::Error) s += "{" + to_string(e.type) + "}";
  return s;
}

std::string decl_type(const VarDecl& d) {
  std::string s;
  if (!d.array_dims.empty()) {
    s += "array[";
    for (std::size_t i = 0; i < d.array_dims.size(); ++i) s += (i ? ", " : "") + expr(d.array_dims[i]);
    s += "] ";
  }
  s += d.structure == Structure::None ? to_string(Type{d.base, 0}) : std::string(structure_name(d.structure));
  std::vector<std::string> cons;
  if (d.lower) cons.push_back("lower=" + expr(*d.lower));
  if (d.upper) cons.push_back("upper=" + expr(*d.upper));
  if (d.offset) cons.push_back("offset=" + expr(*d.offset));
  if (d.multiplier) cons.push_back("multiplier=" + expr(*d.multiplier));
  if (!cons.empty()) {
    s += "<";
    for (std::size_t i = 0; i < cons.size(); ++i) s += (i ? ", " : "") + cons[i];
    s += ">";
  }
  bool square = d.structure == Structure::CholeskyCorr || d.structure == Structure::CorrMatrix ||
                d.structure == Structure::CovMatrix;
  if (d.size) s += "[" + expr(*d.size) + (d.cols && !square ? ", " + expr(*d.cols) : std::string()) + "]";
  return s;
}

void stmt(const Stmt& s, int indent, std::string& out);

void children(const std::vector<Stmt>& body, int indent, std::string& out) {
  for (const Stmt& c : body) {
    out += "\n";
    stmt(c, indent, out);
  }
}

void stmt(const Stmt& s, int indent, std::string& out) {
  out += std::string(static_cast<std::size_t>(indent), ' ');
  switch (s.kind) {
    case StmtKind::Decl: {
      const VarDecl& d = *s.decl;
      out += "(decl " + decl_type(d) + " " + d.name;
      if (d.init) out += " = " + expr(*d.init);
      out += ")";
      return;
    }
    case StmtKind::Assign: out += list(s.name, s.exprs); return;
    case StmtKind::Tilde: {
      std::vector<Expr> args(s.exprs.begin() + 1, s.exprs.end());
      out += "(~ " + expr(s.exprs[0]) + " " + list(s.name, args);
      if (s.trunc_lower || s.trunc_upper)
        out += " (T " + (s.trunc_lower ? expr(*s.trunc_lower) : "_") + " " +
               (s.trunc_upper ? expr(*s.trunc_upper) : "_") + ")";
      out += ")";
      return;
    }
    case StmtKind::TargetPlus: out += "(target+= " + expr(s.exprs[0]) + ")"; return;
    case StmtKind::For:
      out += "(for " + s.name + " (" + expr(s.exprs[0]) + " " + expr(s.exprs[1]) + ")";
      break;
    case StmtKind::ForEach: out += "(foreach " + s.name + " " + expr(s.exprs[0]); break;
    case StmtKind::While: out += "(while " + expr(s.exprs[0]); break;
    case StmtKind::If:
      out += "(if " + expr(s.exprs[0]);
      children(s.body, indent + 2, out);
      if (!s.else_body.empty()) {
        out += "\n" + std::string(static_cast<std::size_t>(indent + 2), ' ') + "(else";
        children(s.else_body, indent + 4, out);
        out += ")";
      }
      out += ")";
      return;
    case StmtKind::Break: out += "(break)"; return;
    case StmtKind::Continue: out += "(continue)"; return;
    case StmtKind::Block: out += "(block"; break;
    case StmtKind::Print: out += list("print", s.exprs); return;
    case StmtKind::Reject: out += list("reject", s.exprs); return;
    case StmtKind::Empty: out += "(empty)"; return;
    case StmtKind::Return: out += s.exprs.empty() ? "(return)" : "(return " + expr(s.exprs[0]) + ")"; return;
    case StmtKind::CallStmt: out += "(call " + expr(s.exprs[0]) + ")"; return;
  }
  children(s.body, indent + 2, out);
  out += ")";
}

}  // namespace

std::string dump(const Program& program) {
  std::string out;
  for (const FunDef& f : program.functions) {
    out += "(function " + to_string(f.result) + " " + f.name + " (";
    for (std::size_t i = 0; i < f.args.size(); ++i)
      out += (i ? ", " : "") + std::string(f.args[i].data_only ? "data " : "") + to_string(f.args[i].type) +
             " " + f.args[i].name;
    out += ")";
    if (f.defined) children(f.body, 2, out);
    else out += " forward";
    out += ")\n";
  }
  for (int k = 0; k < kNumBlocks; ++k) {
    const Block& b = program.blocks[k];
    if (!b.present) continue;
    out += "(" + std::string(block_name(static_cast<BlockKind>(k)));
    children(b.stmts, 2, out);
    out += ")\n";
  }
  return out;
}

}  // namespace mcmc::lang
