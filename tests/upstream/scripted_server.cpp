#include "scripted_server.h"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Timespan.h>

#include <thread>

namespace mcpauth::test {
namespace {

// The request's head and body (Content-Length bodies only); false when the client closed first.
bool read_request(Poco::Net::StreamSocket& socket, std::string& pending, std::string& head, std::string& body) {
  char buffer[4096];
  size_t head_end;
  while ((head_end = pending.find("\r\n\r\n")) == std::string::npos) {
    int count = socket.receiveBytes(buffer, sizeof buffer);
    if (count <= 0) return false;
    pending.append(buffer, static_cast<size_t>(count));
  }
  head = pending.substr(0, head_end);
  size_t length = 0;
  for (const char* name : {"\r\nContent-Length: ", "\r\ncontent-length: "}) {
    size_t at = head.find(name);
    if (at != std::string::npos) length = std::stoul(head.substr(at + std::char_traits<char>::length(name)));
  }
  pending.erase(0, head_end + 4);
  while (pending.size() < length) {
    int count = socket.receiveBytes(buffer, sizeof buffer);
    if (count <= 0) return false;
    pending.append(buffer, static_cast<size_t>(count));
  }
  body = pending.substr(0, length);
  pending.erase(0, length);
  return true;
}

}  // namespace

ScriptedServer::ScriptedServer() : listener_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
  acceptor_ = std::thread([this] { accept_loop(); });
}

ScriptedServer::~ScriptedServer() {
  stopping_ = true;
  acceptor_.join();
  {
    std::lock_guard lock(mutex_);
    for (auto& socket : open_sockets_) {
      try {
        socket.shutdown();
      } catch (const Poco::Exception&) {  // closed already
      }
    }
  }
  for (auto& connection : connections_) connection.join();
}

std::string ScriptedServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(listener_.address().port()) + path;
}

void ScriptedServer::then(Script script) {
  std::lock_guard lock(mutex_);
  scripts_.push_back(std::move(script));
}

std::vector<ScriptedServer::Received> ScriptedServer::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

std::string ScriptedServer::answer(int status, const std::string& headers, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\n" + headers + "Content-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

void ScriptedServer::accept_loop() {
  while (!stopping_) {
    if (!listener_.poll(Poco::Timespan(0, 50'000), Poco::Net::Socket::SELECT_READ)) continue;
    Poco::Net::StreamSocket socket = listener_.acceptConnection();
    std::lock_guard lock(mutex_);
    open_sockets_.push_back(socket);
    connections_.emplace_back([this, socket] { serve(socket); });
  }
}

void ScriptedServer::serve(Poco::Net::StreamSocket socket) {
  std::string pending;
  try {
    for (;;) {
      Received request;
      if (!read_request(socket, pending, request.head, request.body)) return;
      request.client_port = socket.peerAddress().port();
      Script script;
      {
        std::lock_guard lock(mutex_);
        received_.push_back(request);
        if (!scripts_.empty()) {
          script = std::move(scripts_.front());
          scripts_.pop_front();
        }
      }
      if (script.empty()) script.push_back({answer(500, "", "no script")});
      for (const Step& step : script) {
        if (step.before) step.before();
        if (!step.bytes.empty()) socket.sendBytes(step.bytes.data(), static_cast<int>(step.bytes.size()));
        std::this_thread::sleep_for(step.pause);
        if (step.hang_up) {
          socket.close();
          return;
        }
      }
    }
  } catch (const Poco::Exception&) {  // the client went away, or the server is stopping
  }
}

}  // namespace mcpauth::test
