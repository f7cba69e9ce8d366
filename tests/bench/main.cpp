// SPDX-License-Identifier: MIT
// wo_bench <benchmark> [options]: runs one benchmark, prints one JSON line per result on
// stdout and everything else on stderr. `wo_bench --help` lists the benchmarks and `wo_bench
// <benchmark> --help` shows one; a bad command line exits with 2 and creates nothing. To add
// a benchmark: write <name>_bench.cpp with `int run_<name>(Args)`, declare it in bench.hpp and
// add a row to `benchmarks` below.
#include <cstdio>
#include <exception>
#include <string_view>
#include <vector>

#include "bench.hpp"
#include "workorder/errors.hpp"

namespace {

struct Benchmark {
  std::string_view name;
  int (*run)(wo_bench::Args);
  std::string_view usage;
  std::string_view summary;
};

constexpr Benchmark benchmarks[] = {
    {"lifecycle", wo_bench::run_lifecycle, "[--orders N] [--db PATH | --db postgresql://...]",
     "N full paid work-order life cycles (9 write transactions each, automatic dispatch and\n"
     "      service levels on) through wo::Engine on a database file, against raw SQLite doing\n"
     "      the same writes. Default N=2000. --db keeps\n"
     "      the databases (PATH and PATH with -raw before the extension); else temporary files.\n"
     "      --db postgresql://... runs on PostgreSQL against raw libpq, each side in a fresh schema"},
    {"slots", wo_bench::run_slots, "[--existing E] [--queries Q] [--bookings B] [--db PATH | --db postgresql://...]",
     "Engine::availability over 14 days (1008 slots) of a subtype holding E bookings, Q times,\n"
     "      against raw SQLite's range query plus plain C++ slot instants; then B submits with a\n"
     "      slot (capacity 3) from one process and from 4 processes at once, in alternating\n"
     "      rounds, on a database file. Defaults E=10000, Q=200, B=2000; temporary files unless\n"
     "      --db PATH (PATH and PATH with -booking before the extension). --db postgresql://...\n"
     "      runs on PostgreSQL against raw libpq, each part in a fresh schema"},
    {"scale", wo_bench::run_scale,
     "[--orders N] [--db PATH | --db postgresql://... [--keep]] [--months M] [--tenants T] | --measure PATH|URI",
     "N orders (default 1,000,000) over the M months (default 12) before now, seeded by copying\n"
     "      engine-written template orders (docs/benchmarks.md) and checked; then list pages at\n"
     "      page 1 and 10,000, tenant to-do, my tasks, dashboard of a month and of M months, and\n"
     "      CSV export of a month (rows/s, peak RSS of a fresh process). T tenants (default\n"
     "      N/500 within 20..2000). --db keeps the database; else a temporary file. --measure\n"
     "      PATH only measures a database an earlier --db run kept. --db postgresql://... seeds a\n"
     "      fresh schema with COPY, runs VACUUM ANALYZE, and compares with raw libpq; --keep keeps\n"
     "      the schema and prints the URI that --measure takes"},
    {"tick", wo_bench::run_tick, "[--orders N] [--db PATH]",
     "Engine::tick sending a service-level warning on each of N open orders (default 100,000,\n"
     "      at most 120,000), seeded through Engine::submit, against raw SQLite doing the same\n"
     "      writes in batches of 100; then a tick with nothing to do. SQLite files only: --db\n"
     "      keeps them (PATH and PATH with -raw before the extension); else temporary files"},
};

void print(std::FILE* out, std::string_view text) { std::fwrite(text.data(), 1, text.size(), out); }

// "usage: wo_bench lifecycle|slots|scale|tick [options]"
void usage_line(std::FILE* out) {
  print(out, "usage: wo_bench ");
  for (const auto& b : benchmarks) {
    if (&b != benchmarks) print(out, "|");
    print(out, b.name);
  }
  print(out, " [options]\n");
}

// wo_bench --help: every benchmark with its options.
void help() {
  usage_line(stdout);
  std::fputs("\nRuns one benchmark: one JSON object per result on stdout, progress on stderr.\n"
             "wo_bench <benchmark> --help shows one benchmark's options.\n\nbenchmarks:\n",
             stdout);
  for (const auto& b : benchmarks) {
    print(stdout, "  ");
    print(stdout, b.name);
    print(stdout, " ");
    print(stdout, b.usage);
    print(stdout, "\n      ");
    print(stdout, b.summary);
    print(stdout, "\n");
  }
}

// wo_bench <benchmark> --help: its usage line and what it does.
void help(const Benchmark& b) {
  std::fprintf(stdout, "usage: wo_bench %.*s %.*s\n\n  ", static_cast<int>(b.name.size()), b.name.data(),
               static_cast<int>(b.usage.size()), b.usage.data());
  // The summary's lines are indented for the list of wo_bench --help; here by two.
  for (std::string_view rest = b.summary;;) {
    const auto end = rest.find("\n      ");
    print(stdout, rest.substr(0, end));
    if (end == std::string_view::npos) break;
    print(stdout, "\n  ");
    rest.remove_prefix(end + 7);
  }
  std::fputs(".\n\n  -h, --help  print this help and exit\n", stdout);
}

bool is_help(std::string_view arg) { return arg == "-h" || arg == "--help"; }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs("wo_bench: no benchmark given\n", stderr);
    usage_line(stderr);
    return 2;
  }
  const std::string_view name = argv[1];
  if (is_help(name) || name == "help") {
    help();
    return 0;
  }
  const std::vector<std::string_view> args(argv + 2, argv + argc);
  for (const auto& b : benchmarks) {
    if (b.name != name) continue;
    for (const auto arg : args)
      if (is_help(arg)) {
        help(b);
        return 0;
      }
    try {
      return b.run(args);
    } catch (const wo_bench::UsageError& e) {
      std::fprintf(stderr, "wo_bench %s: %s\nusage: wo_bench %s %.*s\n", argv[1], e.what(), argv[1],
                   static_cast<int>(b.usage.size()), b.usage.data());
      return 2;
    } catch (const wo::Error& e) {
      std::fprintf(stderr, "wo_bench %s failed: %s (wo::Error code %d)\n", argv[1], e.what(), static_cast<int>(e.code()));
      return 1;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "wo_bench %s failed: %s\n", argv[1], e.what());
      return 1;
    }
  }
  std::fprintf(stderr, "wo_bench: unknown %s '%s'\n", name.starts_with('-') ? "option" : "benchmark", argv[1]);
  usage_line(stderr);
  return 2;
}
