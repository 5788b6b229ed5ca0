// `mcmc generate-docs` (hidden): writes the man page and the completion scripts that the build installs.
#include <fstream>

#include <fmt/format.h>

#include "cli/generated_docs.hpp"
#include "util/build_info.hpp"
#include "util/error.hpp"

namespace mcmc::cli {

namespace {

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw Error(ExitCode::Io, fmt::format("cannot write '{}'", path));
}

}  // namespace

CLI::App* add_generate_command(CLI::App& app, GenerateOptions& o) {
  CLI::App* cmd = app.add_subcommand("generate-docs", "Write the man page and the shell completions (used by the build)");
  cmd->group("");  // hidden: not in --help, the man page or the completions
  cmd->add_option("--man", o.man, "Write mcmc(1) in roff here");
  cmd->add_option("--bash", o.bash, "Write the bash completion script here");
  cmd->add_option("--zsh", o.zsh, "Write the zsh completion script here");
  return cmd;
}

int generate_command(const CLI::App& app, const GenerateOptions& o) {
  const CommandDoc doc = describe(app);
  if (!o.man.empty()) write_file(o.man, man_page(doc, build_description()));
  if (!o.bash.empty()) write_file(o.bash, bash_completion(doc));
  if (!o.zsh.empty()) write_file(o.zsh, zsh_completion(doc));
  return 0;
}

}  // namespace mcmc::cli
