// Fernet throughput on a 1 KiB plaintext, printed as "encrypt OPS" and "decrypt OPS"
// (operations per second). Counterpart of fernet_bench.py; run both with
// run_fernet_bench.sh. Usage: fernet_bench [seconds per measurement, default 2]
#include "crypto/fernet.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace mcpauth::crypto;

namespace {

template <typename Operation>
double ops_per_second(double seconds, Operation operation) {
  using Clock = std::chrono::steady_clock;
  constexpr int kBatch = 1000;                   // operations between two clock reads
  for (int i = 0; i < kBatch; ++i) operation();  // warm-up
  size_t ops = 0;
  const Clock::time_point start = Clock::now();
  std::chrono::duration<double> elapsed{};
  do {
    for (int i = 0; i < kBatch; ++i) operation();
    ops += kBatch;
    elapsed = Clock::now() - start;
  } while (elapsed.count() < seconds);
  return static_cast<double>(ops) / elapsed.count();
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
  const FernetKey key = FernetKey::generate();
  const std::vector<uint8_t> plaintext(1024, 'x');
  const std::string token = fernet_encrypt(key, plaintext);
  if (fernet_decrypt(key, token) != plaintext) {
    std::fputs("fernet_bench: round trip failed\n", stderr);
    return 1;
  }
  size_t output_bytes = 0;  // uses every result, so none can be optimized away
  const double encrypt = ops_per_second(seconds, [&] { output_bytes += fernet_encrypt(key, plaintext).size(); });
  const double decrypt = ops_per_second(seconds, [&] { output_bytes += fernet_decrypt(key, token).size(); });
  std::printf("encrypt %.0f\ndecrypt %.0f\n", encrypt, decrypt);
  return output_bytes > 0 ? 0 : 1;
}
