// The language front end in one call: parse (grammar/), lower to the clean AST, run the semantic checks.
#include "lang/frontend.hpp"

#include <pthread.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "grammar/parse.hpp"
#include "grammar/prescan.hpp"
#include "lang/check.hpp"
#include "lang/diagnostic.hpp"
#include "lang/lower.hpp"

namespace mcmc::lang {

namespace {

/// Runs `work` on a thread with a large stack: the grammar and the lowering recurse once per
/// nesting level, and a big (lazily committed) stack keeps pathological inputs from crashing.
void run_with_large_stack(const std::function<void()>& work) {
  struct Job {
    const std::function<void()>* work;
    std::exception_ptr error;
  } job{&work, nullptr};
  auto entry = [](void* arg) -> void* {
    auto* j = static_cast<Job*>(arg);
    try {
      (*j->work)();
    } catch (...) {
      j->error = std::current_exception();
    }
    return nullptr;
  };
  pthread_attr_t attr;
  pthread_t thread;
  bool started = pthread_attr_init(&attr) == 0 &&
                 pthread_attr_setstacksize(&attr, std::size_t{512} << 20) == 0 &&
                 pthread_create(&thread, &attr, entry, &job) == 0;
  pthread_attr_destroy(&attr);
  if (started) {
    pthread_join(thread, nullptr);
  } else {
    entry(&job);  // no thread: run here (the bracket-depth limit still applies)
  }
  if (job.error) std::rethrow_exception(job.error);
}

}  // namespace

Program parse_only(const std::string& file, const std::string& source) {
  Program program;
  run_with_large_stack([&] {
    try {
      std::string text = grammar::prescan(source);
      grammar::ParseOutput parsed = grammar::parse(text);
      program = lower(parsed, file, source, text);
    } catch (const grammar::SyntaxError& e) {
      auto [line, col] = grammar::line_col(source, e.offset);
      throw model_error(file, source, Pos{line, col}, e.message);
    }
  });
  return program;
}

Program parse_and_check(const std::string& file, const std::string& source) {
  Program program = parse_only(file, source);
  check(program);
  return program;
}

Program load_program(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw Error(ExitCode::Io, "cannot read model file '" + path + "': " + std::strerror(EISDIR));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ExitCode::Io, "cannot read model file '" + path + "': " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error(ExitCode::Io, "cannot read model file '" + path + "': " + std::strerror(errno));
  return parse_and_check(path, text.str());
}

}  // namespace mcmc::lang
