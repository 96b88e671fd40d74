// convert.h — converts values from an image's layout into this target's.
#ifndef HM_RUNTIME_CONVERT_H
#define HM_RUNTIME_CONVERT_H

#include "hm/abi.h"
#include "image.h"

#include <memory>
#include <string>
#include <vector>

namespace hm {

class Translator;

class Converter {
public:
  explicit Converter(const Image &image);
  ~Converter();
  // From the sender's bytes of type |stype| into |dst| as |rtype|. Pointers go
  // through |translator|; a pointer to a local not restored yet is written later
  // when |mayDefer| (|dst| is the value's final place). Messages name the object
  // as: <label> '<name><path inside it>'<context>. Throws hm::Error.
  void convert(std::uint32_t stype, const Bytes &src,
               const hm_type *rtype, unsigned char *dst, Translator *translator,
               bool mayDefer, const std::string &label, const std::string &name,
               const std::string &context);
  // The same from raw memory of |size| bytes, into a final place.
  void convertBytes(std::uint32_t stype, const unsigned char *src, std::uint64_t size,
                    const hm_type *rtype, unsigned char *dst, Translator *translator,
                    const std::string &label, const std::string &name,
                    const std::string &context);
  // |count| elements, |sstride| and |dstride| bytes apart, with one plan; a copy
  // when the layouts agree. Messages name element k as <name>[k].
  void convertElements(std::uint32_t stype, const unsigned char *src,
                       std::uint64_t sstride, std::uint64_t count,
                       const hm_type *rtype, unsigned char *dst,
                       std::uint64_t dstride, Translator *translator,
                       const std::string &label, const std::string &name);
  // Where the sender had the bytes at |start| that the next conversions read: a
  // frame variable (|frame| outermost first, |var|), or memory at sender address
  // |base| (|frame| -1). Unions whose member the image says per value look it up
  // by that place.
  void place(std::int32_t frame, std::uint32_t var, std::uint64_t base,
             const unsigned char *start);
  // What the user should know once: precision lost on the way, if any.
  std::string notes() const;

private:
  void run(std::uint32_t stype, const unsigned char *src, std::uint64_t size,
           const hm_type *rtype, unsigned char *dst, Translator *translator,
           const std::string &label, const std::string &name,
           const std::string &context);
  class Impl;
  std::unique_ptr<Impl> impl;
};

// Why |type| cannot cross a process boundary, or "" when it can.
std::string unsupportedReason(const hm_type *type);

// Copies |t| from |src| to |dst| (zeroes it, when |src| is null) but for the
// machine state in it (a jmp_buf, HM_F_MACHINE_STATE), which is left as it is:
// a setjmp on the way back has re-armed it.
void fillButMachineState(unsigned char *dst, const unsigned char *src, const hm_type *t);

} // namespace hm
#endif
