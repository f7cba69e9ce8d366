// SPDX-License-Identifier: MIT
// replay_main.cpp — a main for builds without libFuzzer (g++): runs LLVMFuzzerTestOneInput
// once on every file named on the command line and on every regular file of every directory
// named (not recursively), in name order, then prints how many it ran. A failed check of the
// target traps and a sanitizer error ends the process, so either fails the run; so does a run
// that finds no input at all. On a trap or an abort it names the input that caused it.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

char current[4096];  // the input being run, for the signal handler

void name_the_input(int sig) {
  static const char prefix[] = "\nreplay: this input failed: ";
  ssize_t ignored = write(STDERR_FILENO, prefix, sizeof prefix - 1);
  ignored = write(STDERR_FILENO, current, std::strlen(current));
  ignored = write(STDERR_FILENO, "\n", 1);
  (void)ignored;
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE_OR_DIRECTORY...\n", argv[0]);
    return 2;
  }
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const fs::path path(argv[i]);
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      for (const auto& entry : fs::directory_iterator(path, ec))
        if (entry.is_regular_file()) inputs.push_back(entry.path());
    } else if (fs::is_regular_file(path, ec)) {
      inputs.push_back(path);
    } else {
      std::fprintf(stderr, "replay: %s is neither a file nor a directory\n", argv[i]);
      return 2;
    }
    if (ec) {
      std::fprintf(stderr, "replay: %s: %s\n", argv[i], ec.message().c_str());
      return 2;
    }
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "replay: no input found in the arguments\n");
    return 1;
  }
  std::sort(inputs.begin(), inputs.end());
  // __builtin_trap() is SIGILL, abort() SIGABRT; the sanitizers keep their own handlers.
  std::signal(SIGILL, name_the_input);
  std::signal(SIGABRT, name_the_input);
  const auto start = std::chrono::steady_clock::now();
  std::size_t bytes = 0;
  for (const auto& path : inputs) {
    std::snprintf(current, sizeof current, "%s", path.c_str());
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
      return 2;
    }
    const std::vector<char> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    bytes += data.size();
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.data()), data.size());
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  std::printf("replay: ran %zu inputs (%zu bytes) in %.2f s\n", inputs.size(), bytes, took.count());
  return 0;
}
