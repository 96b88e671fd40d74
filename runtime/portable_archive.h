// portable_archive.h — Boost.Serialization archives with one byte order and any width.
//
// Every integer, whatever its C++ type on the writing machine, is written as a
// LEB128 variable-length number (signed types zigzag-encoded first), so small
// values take one byte; reading checks that the value fits the reader's type. So
// an image written by a 64-bit big-endian process reads on a 32-bit little-endian one.
// Floating-point values are not part of the structure (object bytes travel as raw
// blocks and are converted by the runtime), so they are refused at compile time.
// The reader is bounded: counts and lengths are checked against the bytes left.
#ifndef HM_RUNTIME_PORTABLE_ARCHIVE_H
#define HM_RUNTIME_PORTABLE_ARCHIVE_H

#include <boost/archive/basic_binary_iprimitive.hpp>
#include <boost/archive/basic_binary_oprimitive.hpp>
#include <boost/archive/detail/common_iarchive.hpp>
#include <boost/archive/detail/common_oarchive.hpp>
#include <boost/archive/detail/register_archive.hpp>
#include <boost/serialization/collection_size_type.hpp>
#include <boost/serialization/item_version_type.hpp>
#include <boost/serialization/string.hpp>

#include <cstdint>
#include <istream>
#include <limits>
#include <stdexcept>
#include <ostream>
#include <streambuf>
#include <string>
#include <type_traits>

namespace hm {

// A read-only stream buffer over bytes in memory that knows how many are left.
class MemoryBuf : public std::streambuf {
public:
  MemoryBuf(const char *data, std::size_t size) {
    char *p = const_cast<char *>(data);
    setg(p, p, p + size);
  }
  std::uint64_t remaining() const { return egptr() - gptr(); }
  const char *current() const { return gptr(); }
  void skip(std::uint64_t n) { setg(eback(), gptr() + n, egptr()); }
};

// LEB128 with zigzag for signed types: how every integer is written.
inline unsigned char *encodeInteger(unsigned char *out, std::uint64_t v) {
  for (; v >= 0x80; v >>= 7)
    *out++ = static_cast<unsigned char>(v | 0x80);
  *out++ = static_cast<unsigned char>(v);
  return out;
}
inline unsigned char *encodeInteger(unsigned char *out, std::int64_t v) {
  return encodeInteger(out, (static_cast<std::uint64_t>(v) << 1) ^
                                static_cast<std::uint64_t>(v >> 63));
}

// Reads one number at |p|, moving |p| past it; false if the input ends first or
// the number has more than 64 bits.
inline bool decodeLongInteger(const unsigned char *&p, const unsigned char *end,
                              std::uint64_t &v) {
  v = 0;
  for (int shift = 0; shift < 64 && p < end; shift += 7) {
    const unsigned c = *p++;
    v |= static_cast<std::uint64_t>(c & 0x7f) << shift;
    if (!(c & 0x80))
      return shift < 63 || c <= 1;
  }
  return false;
}
[[gnu::always_inline]] inline bool decodeInteger(const unsigned char *&p,
                                                 const unsigned char *end,
                                                 std::uint64_t &v) {
  if (p < end && *p < 0x80) { // most numbers in an image: one byte
    v = *p++;
    return true;
  }
  return decodeLongInteger(p, end, v);
}

// The number as type U (zigzag-decoded for signed types); false if it does not fit.
template <class U> bool narrowInteger(std::uint64_t raw, U &out) {
  if constexpr (std::is_signed<U>::value) {
    const auto v = static_cast<std::int64_t>((raw >> 1) ^ (~(raw & 1) + 1));
    if (v < std::numeric_limits<U>::min() || v > std::numeric_limits<U>::max())
      return false;
    out = static_cast<U>(v);
  } else {
    if (raw > std::numeric_limits<U>::max())
      return false;
    out = static_cast<U>(raw);
  }
  return true;
}

// Integers gathered in the archive's encoding, to be written as one run of bytes:
// the same bytes as writing each through the archive, without the archive's and
// the stream's per-call dispatch (a heap record is a dozen integers, and there
// may be millions of records).
class IntegerRun {
public:
  static constexpr std::size_t kMax = 16;
  template <class T> void operator()(const T &v) {
    static_assert(std::is_integral<T>::value, "integers only");
    if (count++ == kMax)
      throw std::logic_error("IntegerRun: more than kMax integers");
    if constexpr (std::is_signed<T>::value)
      end = encodeInteger(end, static_cast<std::int64_t>(v));
    else
      end = encodeInteger(end, static_cast<std::uint64_t>(v));
  }
  const unsigned char *data() const { return bytes; }
  std::size_t size() const { return static_cast<std::size_t>(end - bytes); }

private:
  unsigned char bytes[kMax * 10];
  unsigned char *end = bytes;
  std::size_t count = 0;
};

// The reading side of IntegerRun, over bytes in memory; throws the archive's
// input error at the end of the bytes or on a number too large for its variable.
class IntegerReader {
public:
  IntegerReader(const unsigned char *p, const unsigned char *end) : p(p), end(end) {}
  template <class T> [[gnu::always_inline]] void operator()(T &v) {
    static_assert(std::is_integral<T>::value, "integers only");
    std::uint64_t raw;
    if (!decodeInteger(p, end, raw) || !narrowInteger(raw, v))
      throw boost::archive::archive_exception(
          boost::archive::archive_exception::input_stream_error);
  }
  const unsigned char *position() const { return p; }

private:
  const unsigned char *p, *end;
};

class portable_oarchive
    : public boost::archive::basic_binary_oprimitive<portable_oarchive, char,
                                                     std::char_traits<char>>,
      public boost::archive::detail::common_oarchive<portable_oarchive> {
  using primitive_base = boost::archive::basic_binary_oprimitive<
      portable_oarchive, char, std::char_traits<char>>;
  using archive_base = boost::archive::detail::common_oarchive<portable_oarchive>;
  friend primitive_base;
  friend archive_base;
  friend class boost::archive::detail::interface_oarchive<portable_oarchive>;
  friend class boost::archive::save_access;

  void put_u64(std::uint64_t v) {
    unsigned char b[10];
    save_binary(b, static_cast<std::size_t>(encodeInteger(b, v) - b));
  }
  void put_i64(std::int64_t v) {
    unsigned char b[10];
    save_binary(b, static_cast<std::size_t>(encodeInteger(b, v) - b));
  }

protected:
  template <class T> void save(const T &t) {
    static_assert(!std::is_floating_point<T>::value,
                  "floating point does not go through the portable archive");
    if constexpr (std::is_enum<T>::value) {
      save(static_cast<std::underlying_type_t<T>>(t));
    } else if constexpr (std::is_integral<T>::value && std::is_signed<T>::value) {
      put_i64(static_cast<std::int64_t>(t));
    } else {
      // Unsigned integers and Boost's strong typedefs (version_type, ...).
      put_u64(static_cast<std::uint64_t>(t));
    }
  }
  void save(const bool t) { put_u64(t ? 1 : 0); }
  void save(const std::string &s) {
    put_u64(s.size());
    save_binary(s.data(), s.size());
  }
  void save(const boost::archive::tracking_type t) { put_u64(t.t ? 1 : 0); }
  void save(const boost::archive::class_id_type t) {
    put_i64(static_cast<int_least16_t>(t));
  }

  template <class T> void save_override(T &t) { archive_base::save_override(t); }
  void save_override(const boost::archive::class_id_optional_type &) {}
  void save_override(const boost::archive::class_name_type &t) {
    const std::string s(t);
    *this << s;
  }

public:
  explicit portable_oarchive(std::ostream &os)
      : primitive_base(*os.rdbuf(), true),
        archive_base(boost::archive::no_header) {}
  using primitive_base::save_binary;
};

class portable_iarchive
    : public boost::archive::basic_binary_iprimitive<portable_iarchive, char,
                                                     std::char_traits<char>>,
      public boost::archive::detail::common_iarchive<portable_iarchive> {
  using primitive_base = boost::archive::basic_binary_iprimitive<
      portable_iarchive, char, std::char_traits<char>>;
  using archive_base = boost::archive::detail::common_iarchive<portable_iarchive>;
  friend primitive_base;
  friend archive_base;
  friend class boost::archive::detail::interface_iarchive<portable_iarchive>;
  friend class boost::archive::load_access;

  MemoryBuf &buf_;

  std::uint64_t get_u64() {
    const auto *p = reinterpret_cast<const unsigned char *>(buf_.current());
    std::uint64_t v;
    if (!decodeInteger(p, p + buf_.remaining(), v))
      bad();
    buf_.skip(static_cast<std::uint64_t>(p - reinterpret_cast<const unsigned char *>(buf_.current())));
    return v;
  }
  [[noreturn]] static void bad() {
    throw boost::archive::archive_exception(
        boost::archive::archive_exception::input_stream_error);
  }
  template <class U> U get_int() {
    U v;
    if (!narrowInteger(get_u64(), v))
      bad();
    return v;
  }

protected:
  template <class T> void load(T &t) {
    static_assert(!std::is_floating_point<T>::value,
                  "floating point does not go through the portable archive");
    if constexpr (std::is_enum<T>::value)
      t = static_cast<T>(get_int<std::underlying_type_t<T>>());
    else
      t = get_int<T>();
  }
  void load(bool &t) {
    std::uint64_t v = get_u64();
    if (v > 1)
      bad();
    t = v != 0;
  }
  void load(std::string &s) {
    std::uint64_t n = get_u64();
    check_available(n);
    s.resize(static_cast<std::size_t>(n));
    load_binary(&s[0], static_cast<std::size_t>(n));
  }
  void load(boost::archive::tracking_type &t) { t.t = get_int<bool>(); }
  void load(boost::archive::class_id_type &t) {
    t = boost::archive::class_id_type(static_cast<int>(get_int<int_least16_t>()));
  }
  void load(boost::archive::object_id_type &t) {
    t = boost::archive::object_id_type(get_int<unsigned int>());
  }
  void load(boost::archive::version_type &t) {
    t = boost::archive::version_type(get_int<unsigned int>());
  }
  void load(boost::archive::library_version_type &t) {
    t = boost::archive::library_version_type(get_int<uint_least16_t>());
  }
  void load(boost::serialization::item_version_type &t) {
    t = boost::serialization::item_version_type(get_int<unsigned int>());
  }
  void load(boost::serialization::collection_size_type &t) {
    std::uint64_t n = get_u64();
    check_available(n); // every element takes at least one byte
    t = boost::serialization::collection_size_type(static_cast<std::size_t>(n));
  }

  template <class T> void load_override(T &t) { archive_base::load_override(t); }
  void load_override(boost::archive::class_id_optional_type &) {}
  void load_override(boost::archive::class_name_type &t) {
    std::string s;
    load(s);
    if (s.size() > BOOST_SERIALIZATION_MAX_KEY_SIZE - 1)
      bad();
    std::memcpy(t, s.data(), s.size());
    t.t[s.size()] = '\0';
  }

public:
  explicit portable_iarchive(MemoryBuf &buf)
      : primitive_base(buf, true), archive_base(boost::archive::no_header),
        buf_(buf) {}
  // |n| bytes of the input, in place (they stay valid as long as the input).
  const unsigned char *take_view(std::uint64_t n) {
    check_available(n);
    const auto *p = reinterpret_cast<const unsigned char *>(buf_.current());
    buf_.skip(n);
    return p;
  }
  // Reads integers the way IntegerRun wrote them: |each| is called with a reader
  // that takes one integer variable at a time (a heap record's dozen, without
  // the archive's per-call dispatch).
  template <class F> void load_integers(F &&each) {
    const auto *start = reinterpret_cast<const unsigned char *>(buf_.current());
    IntegerReader in(start, start + buf_.remaining());
    each(in);
    buf_.skip(static_cast<std::uint64_t>(in.position() - start));
  }
  // Where the input is read up to.
  const char *position() const { return buf_.current(); }
  // Refuses a count or length larger than what is left of the input.
  void check_available(std::uint64_t n) const {
    if (n > buf_.remaining())
      bad();
  }
  using primitive_base::load_binary;
};

} // namespace hm

BOOST_SERIALIZATION_REGISTER_ARCHIVE(hm::portable_oarchive)
BOOST_SERIALIZATION_REGISTER_ARCHIVE(hm::portable_iarchive)

#endif
