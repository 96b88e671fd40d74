// TypeDescriptors.h — hm_type descriptors for the types that reach the image.
#ifndef HM_PASSES_TYPEDESCRIPTORS_H
#define HM_PASSES_TYPEDESCRIPTORS_H

#include "InstrumentContext.h"

#include <map>
#include <string>

namespace hm {

class TypeDescriptors {
public:
  explicit TypeDescriptors(InstrumentContext &ctx) : ctx(ctx) {}
  // The name of the descriptor of |type|, emitting it (and its parts) once.
  std::string get(clang::QualType type);
  // The definitions, each after the descriptors it refers to.
  const std::string &definitions() const { return defs; }

private:
  InstrumentContext &ctx;
  std::map<std::string, std::string> names;
  std::string defs;
  std::string emit(const std::string &key, unsigned kind, const std::string &size,
                   const std::string &spelling, const std::string &elem,
                   unsigned long long count, const std::string &why);
};

} // namespace hm
#endif
