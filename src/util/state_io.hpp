// Bit-exact binary save / restore of sampler state for --checkpoint: a writer and a bounds-checked reader.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mcmc {

/// Thrown when a piece of state cannot be saved (a metric or adaptation without save()) or a
/// saved state does not fit what reads it; the checkpoint code turns it into a message.
class StateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Appends values in a fixed little-endian-host binary layout (doubles by their bits, so a
/// restored state is the saved one to the last bit).
class StateWriter {
 public:
  void u64(std::uint64_t v) { raw(&v, sizeof v); }
  void i64(std::int64_t v) { raw(&v, sizeof v); }
  void f64(double v) { raw(&v, sizeof v); }
  void flag(bool v) { u64(v ? 1 : 0); }
  void str(const std::string& s) {
    u64(s.size());
    raw(s.data(), s.size());
  }
  void vec(std::span<const double> v) {
    u64(v.size());
    raw(v.data(), v.size() * sizeof(double));
  }
  void ivec(const std::vector<int>& v) {
    u64(v.size());
    for (int x : v) i64(x);
  }
  void cvec(const std::vector<char>& v) {
    u64(v.size());
    raw(v.data(), v.size());
  }
  /// A section tag: restore() checks it, so a state read by the wrong piece fails loudly.
  void tag(const char* name) { str(name); }
  const std::string& bytes() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void raw(const void* p, std::size_t n) { out_.append(static_cast<const char*>(p), n); }
  std::string out_;
};

/// Reads what StateWriter wrote; every read past the end or mismatched tag throws StateError.
class StateReader {
 public:
  explicit StateReader(std::string_view bytes) : in_(bytes) {}
  std::uint64_t u64() { return pod<std::uint64_t>(); }
  std::int64_t i64() { return pod<std::int64_t>(); }
  double f64() { return pod<double>(); }
  bool flag() { return u64() != 0; }
  std::string str() {
    const std::uint64_t n = count(1);
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  std::vector<double> vec() {
    const std::uint64_t n = count(sizeof(double));
    std::vector<double> v(n);
    if (n) std::memcpy(v.data(), in_.data() + pos_, n * sizeof(double));
    pos_ += n * sizeof(double);
    return v;
  }
  /// A vector that must have `n` elements.
  std::vector<double> vec(std::size_t n) {
    std::vector<double> v = vec();
    if (v.size() != n)
      throw StateError("saved state has " + std::to_string(v.size()) + " values where " + std::to_string(n) + " belong");
    return v;
  }
  std::vector<int> ivec() {
    const std::uint64_t n = count(sizeof(std::int64_t));
    std::vector<int> v(n);
    for (auto& x : v) x = static_cast<int>(i64());
    return v;
  }
  std::vector<char> cvec() {
    const std::uint64_t n = count(1);
    std::vector<char> v(in_.begin() + static_cast<std::ptrdiff_t>(pos_), in_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
    pos_ += n;
    return v;
  }
  void tag(const char* name) {
    const std::string t = str();
    if (t != name) throw StateError(std::string("saved state: expected section '") + name + "', found '" + t + "'");
  }
  bool done() const { return pos_ == in_.size(); }

 private:
  template <class T>
  T pod() {
    if (in_.size() - pos_ < sizeof(T)) throw StateError("saved state ends early");
    T v;
    std::memcpy(&v, in_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  std::uint64_t count(std::size_t elem) {
    const std::uint64_t n = u64();
    if (n > (in_.size() - pos_) / elem) throw StateError("saved state ends early");
    return n;
  }
  std::string_view in_;
  std::size_t pos_ = 0;
};

}  // namespace mcmc
