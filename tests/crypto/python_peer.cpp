#include "python_peer.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

extern char** environ;

namespace {

constexpr const char* kPython = "/usr/bin/python3";

using File = std::unique_ptr<FILE, decltype(&std::fclose)>;

// Anonymous temporary files rather than pipes: the peer reads all of stdin before it
// writes, and nothing can deadlock on a full pipe with a 1 MiB message.
File temporary_file() {
  File file(std::tmpfile(), &std::fclose);
  if (!file) throw std::runtime_error("tmpfile failed");
  return file;
}

std::string read_all(FILE* file) {
  std::rewind(file);
  std::string text;
  char buffer[65536];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) text.append(buffer, n);
  return text;
}

}  // namespace

std::string run_peer(const std::vector<std::string>& args, std::string_view input) {
  File in = temporary_file(), out = temporary_file(), err = temporary_file();
  if ((!input.empty() && std::fwrite(input.data(), 1, input.size(), in.get()) != input.size()) ||
      std::fflush(in.get()) != 0)
    throw std::runtime_error("cannot write the peer's input");
  std::rewind(in.get());

  std::vector<std::string> argv_strings = {kPython, "-I", MCPAUTH_FERNET_PEER};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fileno(in.get()), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fileno(out.get()), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fileno(err.get()), STDERR_FILENO);
  pid_t pid = 0;
  const int spawn_error = posix_spawn(&pid, kPython, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0)
    throw std::runtime_error(std::string("cannot run ") + kPython + ": " + std::strerror(spawn_error) +
                             " (install python3 and python3-cryptography)");

  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw std::runtime_error("waitpid failed");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("fernet_peer.py " + (args.empty() ? std::string() : args[0]) +
                             " failed: " + read_all(err.get()));
  return read_all(out.get());
}
