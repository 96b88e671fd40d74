// TypeDescriptors.h — hm_type descriptors for the types that reach the image.
#ifndef HM_PASSES_TYPEDESCRIPTORS_H
#define HM_PASSES_TYPEDESCRIPTORS_H

#include "InstrumentContext.h"

#include <map>
#include <string>

namespace clang {
class RecordDecl;
class FieldDecl;
} // namespace clang

namespace hm {

class TypeDescriptors {
public:
  explicit TypeDescriptors(InstrumentContext &ctx) : ctx(ctx) {}
  // The name of the descriptor of |type|, emitting it (and its parts) once;
  // |spelled|: how a declaration or a sizeof spells it, whose spelling on the
  // other targets may say a long is not the data model's there (PeerWidths.h).
  std::string get(clang::QualType type, clang::TypeLoc spelled = {});
  // Forward declarations, then definitions (types may refer to each other).
  std::string text() const { return declarations + definitions; }

private:
  InstrumentContext &ctx;
  std::map<std::string, std::string> names;
  std::string declarations, definitions;

  std::string get(clang::QualType type, bool fixedLong);
  std::string record(const std::string &name, clang::QualType canon,
                     const clang::RecordDecl *def, const std::string &size);
  std::string unionTag(const std::string &name, unsigned index,
                       const clang::FieldDecl *field,
                       const clang::RecordDecl *parent);
  std::string tagTable(const std::string &base, unsigned tagField,
                       const std::vector<unsigned long long> &masks, const std::string &values,
                       const std::string &members);
  bool integerOrEnumerator(llvm::StringRef text, unsigned long long &value);
  // A C type name usable at file scope, or "" when the type has none there.
  std::string fileScopeName(clang::QualType canon) const;
};

} // namespace hm
#endif
