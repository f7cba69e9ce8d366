// SPDX-License-Identifier: MIT
// Test workers in separate processes that start at the same moment, for races between
// processes on one database file. Each worker is forked first and then prepares (e.g. opens
// its own Engine: nothing may be open across fork()), reports ready and waits until every
// worker is ready (a pipe barrier: EOF on the "go" pipe starts them all); it then works and
// sends its results, a list of integers, back through its own pipe.
#pragma once
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <thread>
#include <vector>

#include "workorder/errors.hpp"

namespace test_support {

using Results = std::vector<std::int64_t>;

// What worker `index` does in its child process. It calls `start()` once, when it is prepared:
// that reports it ready and returns when all workers are, so that they begin together.
using ProcessWork = std::function<Results(int index, const std::function<void()>& start)>;

namespace detail {

// Calls io(fd, p, n) (::read or ::write) until all `size` bytes have moved; false on an error
// or end of file.
template <class Byte, class Io>
bool move_all(int fd, Byte* p, std::size_t size, Io io) {
  while (size > 0) {
    const ssize_t n = io(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

inline bool write_all(int fd, const void* data, std::size_t size) {
  return move_all(fd, static_cast<const char*>(data), size, ::write);
}

inline bool read_all(int fd, void* data, std::size_t size) {
  return move_all(fd, static_cast<char*>(data), size, ::read);
}

struct NotReady {};

// The child's side; returns its exit status (see run_processes).
inline int child_main(int index, const ProcessWork& work, int ready_fd, int go_fd, int result_fd) {
  try {
    const std::function<void()> start = [&] {
      if (!write_all(ready_fd, "r", 1)) throw NotReady{};
      ::close(ready_fd);
      char c;
      while (::read(go_fd, &c, 1) > 0) {
      }
    };
    const Results results = work(index, start);
    const std::int64_t count = static_cast<std::int64_t>(results.size());
    if (!write_all(result_fd, &count, sizeof count)) return 96;
    if (!results.empty() && !write_all(result_fd, results.data(), results.size() * sizeof(std::int64_t))) return 96;
    return 0;
  } catch (const NotReady&) {
    return 97;
  } catch (const wo::Error& e) {
    std::fprintf(stderr, "worker %d: wo::Error %d: %s\n", index, static_cast<int>(e.code()), e.what());
    return 100 + static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "worker %d: %s\n", index, e.what());
    return 99;
  } catch (...) {
    return 95;
  }
}

}  // namespace detail

// Forks n workers running `work`, calls `monitor` (when given) about every millisecond while
// they run and once after, checks that each exited normally with status 0, and returns their
// results in index order. A worker sends at most a few thousand results: the parent reads them
// after the worker exited, so they must fit in the pipe (64 KiB).
inline std::vector<Results> run_processes(int n, const ProcessWork& work, const std::function<void()>& monitor = {}) {
  int ready[2], go[2];
  REQUIRE(::pipe(ready) == 0);
  REQUIRE(::pipe(go) == 0);
  std::vector<pid_t> pids;
  std::vector<int> result_fds;
  for (int i = 0; i < n; ++i) {
    int result[2];
    REQUIRE(::pipe(result) == 0);
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(ready[0]);
      ::close(go[1]);
      ::close(result[0]);
      for (int fd : result_fds) ::close(fd);
      ::_exit(detail::child_main(i, work, ready[1], go[0], result[1]));
    }
    ::close(result[1]);
    pids.push_back(pid);
    result_fds.push_back(result[0]);
  }
  ::close(ready[1]);
  ::close(go[0]);
  int ready_count = 0;
  char c;
  while (ready_count < n && ::read(ready[0], &c, 1) == 1) ++ready_count;
  ::close(ready[0]);
  ::close(go[1]);  // EOF on the go pipe: every worker starts now
  CHECK_MESSAGE(ready_count == n, "only ", ready_count, " of ", n, " workers got ready");

  // Wait for all, watching while they run; a worker waitpid cannot reap stays unreaped.
  std::vector<int> status(pids.size(), 0);
  std::vector<bool> reaped(pids.size(), false), done(pids.size(), false);
  for (std::size_t left = pids.size(); left > 0;) {
    if (monitor) monitor();
    for (std::size_t i = 0; i < pids.size(); ++i) {
      if (done[i]) continue;
      const pid_t r = ::waitpid(pids[i], &status[i], WNOHANG);
      if (r == pids[i] || (r < 0 && errno != EINTR)) {
        reaped[i] = r == pids[i];
        done[i] = true;
        --left;
      }
    }
    if (left > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (monitor) monitor();

  std::vector<Results> all;
  for (std::size_t i = 0; i < pids.size(); ++i) {
    INFO("worker process ", i);
    REQUIRE_MESSAGE(reaped[i], "waitpid failed for the worker");
    CHECK_MESSAGE(WIFEXITED(status[i]), "worker did not exit normally (signal ",
                  WIFSIGNALED(status[i]) ? WTERMSIG(status[i]) : 0, ")");
    CHECK_MESSAGE(WEXITSTATUS(status[i]) == 0, "worker exit status ", WEXITSTATUS(status[i]),
                  " (100+code: a wo::Error escaped the work; 99: another exception; 97/96: pipe; 95: other)");
    Results r;
    std::int64_t count = 0;
    if (detail::read_all(result_fds[i], &count, sizeof count) && count >= 0 && count < 100000) {
      r.resize(static_cast<std::size_t>(count));
      CHECK(detail::read_all(result_fds[i], r.data(), r.size() * sizeof(std::int64_t)));
    }
    ::close(result_fds[i]);
    all.push_back(std::move(r));
  }
  return all;
}

}  // namespace test_support
