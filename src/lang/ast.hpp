// The clean abstract syntax tree of a model: what the checker, the graph compiler and the interpreter read.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "catalog/type.hpp"

namespace mcmc::lang {

/// A place in the source text; line and column are 1-based, 0 means unknown.
struct Pos {
  int line = 0;
  int col = 0;
};

// The value types live with the built-in catalogue, whose signatures are written in them.
using catalog::BaseType;
using catalog::Type;

std::string to_string(const Type& t);  // "int", "array[,] real", "vector", ...

enum class ExprKind {
  IntLit,        // int_value
  RealLit,       // real_value
  StringLit,     // name holds the text (only inside print / reject)
  Var,           // name
  Unary,         // name: "-", "!", "+", "'" (the postfix transpose); args: [operand]
  Binary,        // name: "+","-","*","/","%","%/%","^",".*","./","==","!=","<","<=",">",">=","&&","||"
  Cond,          // args: [condition, if_true, if_false]
  Call,          // name: function; args; `bar` true when written f(y | ...)
  Index,         // args: [base]; indices
  ArrayLit,      // { a, b, c }: args
  RowVectorLit,  // [ a, b, c ]: args
  TargetCall,    // target()
};

struct Expr;

/// One index position inside `x[...]`.
struct Index {
  enum class Kind {
    Single,  // x[e]: e is an int (single) or an int array (multi-index); bounds[0]
    Range,   // x[a:b]: bounds[0], bounds[1]
    Lower,   // x[a:]: bounds[0]
    Upper,   // x[:b]: bounds[0]
    All,     // x[:] or x[] : no bounds
  };
  Kind kind = Kind::Single;
  std::vector<Expr> bounds;
};

struct Expr {
  ExprKind kind = ExprKind::IntLit;
  Pos pos;
  std::string name;
  long long int_value = 0;
  double real_value = 0;
  std::vector<Expr> args;
  std::vector<Index> indices;  // ExprKind::Index only
  bool bar = false;            // Call written with `|` after the first argument
  Type type;                   // filled in by check()
  int fun = -1;                // Call of a user-defined function: its index in Program::functions (check())
};

/// A constrained vector or matrix type (`simplex[K]` is a Vector with Structure::Simplex).
enum class Structure {
  None, Simplex, Ordered, PositiveOrdered, UnitVector, SumToZero,  // vectors
  CholeskyCorr, CholeskyCov, CorrMatrix, CovMatrix,                // matrices
};
const char* structure_name(Structure s);  // "simplex", ...

/// A variable declaration, in any block or as a local.
struct VarDecl {
  std::string name;
  Pos pos;                          // position of the type keyword
  Pos name_pos;                     // position of the name
  BaseType base = BaseType::Real;   // Int, Real, Vector, RowVector, Matrix
  Structure structure = Structure::None;
  std::vector<Expr> array_dims;     // array[N, M] ...: one Expr per dimension
  std::optional<Expr> size;         // vector[N] / row_vector[N]; the rows of matrix[N, M]
  std::optional<Expr> cols;         // the columns of matrix[N, M]
  std::optional<Expr> lower, upper; // <lower=..., upper=...>
  std::optional<Expr> offset, multiplier;
  std::optional<Expr> init;         // = expr

  Type type() const { return Type{base, static_cast<int>(array_dims.size())}; }
  bool constrained() const { return lower || upper || offset || multiplier; }
};

enum class StmtKind {
  Decl,        // decl
  Assign,      // exprs[0] lhs (Var or Index), exprs[1] rhs; name: "=", "+=", "-=", "*=", "/=", ".*=", "./="
  Tilde,       // exprs[0] lhs, exprs[1..] arguments; name: distribution ("normal"); truncation bounds
               // in trunc_lower / trunc_upper (`T[L, U]`, either may be absent)
  TargetPlus,  // exprs[0]
  For,         // name: loop variable; exprs: [lo, hi]; body
  ForEach,     // name: loop variable; exprs: [container]; body
  While,       // exprs: [condition]; body
  If,          // exprs: [condition]; body: then-branch (one Stmt); else_body: else-branch (zero or one Stmt)
  Break,
  Continue,
  Block,       // body (also a profile("...") block: name "profile")
  Print,       // exprs: printables (StringLit or expressions)
  Reject,      // exprs: printables; name: "reject" or "fatal_error"
  Empty,       // a lone `;`
  Return,      // exprs: [value] or none (in a user-defined function)
  CallStmt,    // exprs[0]: a Call of a void function
};

struct Stmt {
  StmtKind kind = StmtKind::Empty;
  Pos pos;
  Pos name_pos;                 // Tilde: where the distribution's name is (for messages)
  std::string name;
  std::vector<Expr> exprs;
  std::optional<VarDecl> decl;
  std::vector<Stmt> body;
  std::vector<Stmt> else_body;
  std::optional<Expr> trunc_lower;  // Tilde: T[L, ]
  std::optional<Expr> trunc_upper;  // Tilde: T[, U]
  int fun = -1;                     // Tilde of a user-defined _lpdf / _lpmf: its index in Program::functions (check())
};

/// One argument of a user-defined function.
struct FunArg {
  std::string name;
  Pos pos;
  Type type;
  bool data_only = false;  // declared `data`
};

/// A user-defined function of the `functions` block: a definition or a forward declaration.
struct FunDef {
  std::string name;
  Pos pos;
  Type result;             // BaseType::Void for a void function
  std::vector<FunArg> args;
  bool defined = false;    // false: a forward declaration (no body)
  std::vector<Stmt> body;
};

enum class BlockKind { Data, TransformedData, Parameters, TransformedParameters, Model, GeneratedQuantities };
constexpr int kNumBlocks = 6;
const char* block_name(BlockKind k);  // "data", "transformed data", ...

struct Block {
  bool present = false;
  Pos pos;
  std::vector<Stmt> stmts;  // in data / parameters: only Decl statements
};

struct Program {
  std::string file;    // path as given on the command line
  std::string source;  // the whole text (for error messages)
  std::array<Block, kNumBlocks> blocks;
  std::vector<FunDef> functions;  // in source order, forward declarations included

  Block& block(BlockKind k) { return blocks[static_cast<int>(k)]; }
  const Block& block(BlockKind k) const { return blocks[static_cast<int>(k)]; }
};

}  // namespace mcmc::lang
