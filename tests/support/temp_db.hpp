// SPDX-License-Identifier: MIT
// A fresh database path in the temp directory for tests that need a file (several engines or
// processes on one database); the file and its -wal/-shm/-journal go with the object.
#pragma once
#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace test_support {

struct TempDb {
  std::string path;
  // `prefix` names the test in the file name ("<prefix>_<pid>_<n>.db").
  explicit TempDb(std::string_view prefix) {
    static int counter = 0;
    path = (std::filesystem::temp_directory_path() /
            (std::string(prefix) + "_" + std::to_string(static_cast<long>(::getpid())) + "_" +
             std::to_string(counter++) + ".db"))
               .string();
    remove_files();
  }
  ~TempDb() { remove_files(); }
  TempDb(const TempDb&) = delete;
  TempDb& operator=(const TempDb&) = delete;
  void remove_files() const {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix, ec);
  }
};

}  // namespace test_support
