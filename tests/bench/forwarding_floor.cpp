// The least a forwarder of HTTP requests can cost on this machine: a request in, the same out to
// the MCP server, the answer in, the answer out; four socket calls on loopback TCP and nothing
// else. Two processes play them as a ping-pong of 300-byte messages, which makes the same four calls
// (two send, two recv) per round trip as a forwarder does per request, with the kernel's work for
// both directions. run_gateway_bench.sh runs it to show what share of the direct throughput any
// gateway (not only mcpauth's) can keep here.
//
// Usage: forwarding_floor [ROUND_TRIPS]   (default 200000)
// Prints "<CPU µs> <wall µs>" per round trip, both processes' user + system time.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

constexpr size_t kMessageBytes = 300;  // about a tools/call request or its JSON answer

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "forwarding_floor: %s: %s\n", what, std::strerror(errno));
  std::exit(2);
}

void no_delay(int socket) {
  const int one = 1;
  if (setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0) fail("setsockopt");
}

// Sends the message whole; false when the peer has gone.
bool send_message(int socket, const std::array<char, kMessageBytes>& message) {
  for (size_t sent = 0; sent < message.size();) {
    const ssize_t n = send(socket, message.data() + sent, message.size() - sent, 0);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

// Reads one whole message; false at the end of the stream.
bool receive_message(int socket, std::array<char, kMessageBytes>& message) {
  for (size_t got = 0; got < message.size();) {
    const ssize_t n = recv(socket, message.data() + got, message.size() - got, 0);
    if (n <= 0) return false;
    got += static_cast<size_t>(n);
  }
  return true;
}

double cpu_seconds(int who) {
  rusage usage{};
  getrusage(who, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  const long round_trips = argc > 1 ? std::atol(argv[1]) : 200000;
  if (round_trips < 1) {
    std::fprintf(stderr, "usage: forwarding_floor [ROUND_TRIPS >= 1]\n");
    return 2;
  }
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  if (listener < 0) fail("socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // port 0: any free one
  socklen_t length = sizeof address;
  if (bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) fail("bind");
  if (listen(listener, 1) != 0) fail("listen");
  if (getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) fail("getsockname");

  std::array<char, kMessageBytes> message;
  message.fill('x');
  const pid_t echo = fork();
  if (echo < 0) fail("fork");
  if (echo == 0) {  // the other end: answers each message with one of the same size
    const int connection = accept(listener, nullptr, nullptr);
    if (connection < 0) fail("accept");
    no_delay(connection);
    while (receive_message(connection, message) && send_message(connection, message)) {
    }
    return 0;
  }
  close(listener);
  const int connection = socket(AF_INET, SOCK_STREAM, 0);
  if (connection < 0) fail("socket");
  if (connect(connection, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) fail("connect");
  no_delay(connection);

  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < round_trips; ++i)
    if (!send_message(connection, message) || !receive_message(connection, message)) fail("the echo process left");
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - start;
  close(connection);
  int status = 0;
  if (waitpid(echo, &status, 0) != echo || !WIFEXITED(status) || WEXITSTATUS(status) != 0) fail("the echo process");

  const double cpu = cpu_seconds(RUSAGE_SELF) + cpu_seconds(RUSAGE_CHILDREN);
  std::printf("%.1f %.1f\n", cpu / static_cast<double>(round_trips) * 1e6,
              wall.count() / static_cast<double>(round_trips) * 1e6);
  return 0;
}
