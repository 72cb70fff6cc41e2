#include "client_departures.h"

#include "mcpauth/core/log.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <utility>
#include <vector>

namespace mcpauth::api {

ClientDepartures::ClientDepartures() : wake_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (wake_fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
  thread_ = std::thread(&ClientDepartures::poll_loop, this);
}

ClientDepartures::~ClientDepartures() {
  stopping_ = true;
  wake();
  thread_.join();
  close(wake_fd_);
}

ClientDepartures::Watch::Watch(ClientDepartures& departures, int client_socket, mcp::UpstreamResponse& answer)
    : departures_(departures), state_(std::make_shared<State>()) {
  state_->client_socket = client_socket;
  state_->answer = &answer;
  {
    std::lock_guard lock(departures_.mutex_);
    id_ = departures_.next_id_++;
    departures_.watched_.emplace(id_, state_);
  }
  departures_.wake();
}

ClientDepartures::Watch::~Watch() {
  {
    std::lock_guard lock(departures_.mutex_);  // after this, the answer is never aborted from here
    departures_.watched_.erase(id_);
  }
  departures_.wake();  // its socket is to leave the polled set before the number is reused
}

void ClientDepartures::wake() {
  const uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = write(wake_fd_, &one, sizeof one);  // fails only when already due
}

void ClientDepartures::poll_loop() {
  std::vector<pollfd> polled;
  std::vector<uint64_t> ids;  // the watch of each polled socket (after the eventfd)
  while (!stopping_) {
    polled.assign(1, pollfd{wake_fd_, POLLIN, 0});
    ids.clear();
    {
      std::lock_guard lock(mutex_);
      for (const auto& [id, state] : watched_) {
        // Only the hang-up: POLLIN would report a next request sent early, again and again.
        polled.push_back(pollfd{state->client_socket, POLLRDHUP, 0});
        ids.push_back(id);
      }
    }
    if (poll(polled.data(), polled.size(), -1) < 0) {
      if (errno == EINTR) continue;
      core::log(
          core::LogLevel::error, "gateway",
          "polling the clients' connections failed: " + std::error_code(errno, std::generic_category()).message());
      return;
    }
    if (polled[0].revents & POLLIN) {
      uint64_t count;
      [[maybe_unused]] const ssize_t read_bytes = read(wake_fd_, &count, sizeof count);
    }
    std::lock_guard lock(mutex_);
    for (size_t i = 1; i < polled.size(); ++i) {
      if (!(polled[i].revents & (POLLRDHUP | POLLHUP | POLLERR))) continue;
      const auto watched = watched_.find(ids[i - 1]);
      if (watched == watched_.end()) continue;  // its answer has ended meanwhile
      watched->second->left = true;
      watched->second->answer->abort();
      watched_.erase(watched);
    }
  }
}

}  // namespace mcpauth::api
