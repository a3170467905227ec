// fixnn's hls::stream for building a project with g++ alone (C simulation): an unbounded FIFO
// with the interface the HLS tools' stream has (read, write, empty, size, the non-blocking
// forms and the << >> operators). The HLS tools use their own header instead.
#ifndef FIXNN_HLS_STREAM_H_
#define FIXNN_HLS_STREAM_H_

#include <cstdio>
#include <deque>
#include <string>

namespace hls {

template <typename T>
class stream {
 public:
  stream() : name_("stream") {}
  explicit stream(const char* name) : name_(name) {}
  explicit stream(const std::string& name) : name_(name) {}

  bool empty() const { return queue_.empty(); }
  bool full() const { return false; }
  unsigned size() const { return static_cast<unsigned>(queue_.size()); }

  // Reading an empty stream is an error of the design (it would hang in hardware): reported on
  // stderr, and a default value is returned.
  T read() {
    T value = T();
    if (queue_.empty()) {
      std::fprintf(stderr, "hls::stream '%s' read while empty\n", name_.c_str());
      return value;
    }
    value = queue_.front();
    queue_.pop_front();
    return value;
  }
  void read(T& value) { value = read(); }
  bool read_nb(T& value) {
    if (queue_.empty()) return false;
    value = read();
    return true;
  }
  void write(const T& value) { queue_.push_back(value); }
  bool write_nb(const T& value) {
    write(value);
    return true;
  }
  void operator>>(T& value) { read(value); }
  void operator<<(const T& value) { write(value); }

 private:
  stream(const stream&);
  stream& operator=(const stream&);

  std::deque<T> queue_;
  std::string name_;
};

}  // namespace hls

#endif  // FIXNN_HLS_STREAM_H_
