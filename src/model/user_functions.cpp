// Calls of user-defined functions: the body runs in a scope of its own arguments, inlined into the graph.
#include <utility>

#include <fmt/format.h>

#include "model/interp.hpp"

namespace mcmc::model {

namespace {

/// Deepest recursion allowed (each level is a few evaluator frames on the stack, and generated
/// quantities run on worker threads): recursion must end by data, and 200 levels is plenty for that.
constexpr int kMaxCallDepth = 200;

/// An int value passed or returned where a real is declared becomes real (same shape).
void promote(Value& v, const lang::Type& declared) {
  if (declared.base == lang::BaseType::Real && v.base == lang::BaseType::Int) v.base = lang::BaseType::Real;
}

}  // namespace

Value Interp::call_user(const lang::FunDef& f, lang::Pos pos, std::vector<Value>& args) {
  if (call_depth_ >= kMaxCallDepth)
    fail(pos, fmt::format("'{}': more than {} nested calls (recursion must end, by data)", f.name, kMaxCallDepth));
  // The function sees its arguments only: no locals of the caller and no program variables.
  struct Saved {
    Interp& in;
    decltype(scopes_) scopes;
    const std::unordered_map<std::string, Value>* globals;
    int loop_depth;
    ~Saved() {
      in.scopes_ = std::move(scopes);
      in.globals = globals;
      in.loop_depth_ = loop_depth;
      --in.call_depth_;
    }
  } saved{*this, std::move(scopes_), globals, loop_depth_};
  scopes_.clear();
  globals = nullptr;
  loop_depth_ = 0;
  ++call_depth_;
  push_scope();
  for (std::size_t i = 0; i < f.args.size(); ++i) {
    Value v = std::move(args[i]);
    promote(v, f.args[i].type);
    declare(f.args[i].name, std::move(v), true);
  }
  return_value_ = Value{};
  Flow flow = run_body(f.body);
  if (f.result.base != lang::BaseType::Void && flow != Flow::Return)
    fail(pos, fmt::format("'{}' ended without returning a value", f.name));
  Value result = std::move(return_value_);
  promote(result, f.result);
  return result;
}

}  // namespace mcmc::model
