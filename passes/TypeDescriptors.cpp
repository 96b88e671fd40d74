// TypeDescriptors.cpp — what each C type is, with its size left to the target compiler.
#include "TypeDescriptors.h"
#include "hm/abi.h"

#include "clang/AST/Type.h"
#include "llvm/ADT/StringExtras.h"

using namespace clang;

namespace hm {

namespace {

std::string quote(const std::string &s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out + "\"";
}

// The kind of a scalar, or 0 when it is not one hm can convert.
unsigned scalarKind(const BuiltinType *bt, std::string &why) {
  switch (bt->getKind()) {
  case BuiltinType::Bool:
    return HM_K_BOOL;
  case BuiltinType::Char_S:
  case BuiltinType::Char_U:
    return HM_K_CHAR;
  case BuiltinType::SChar:
  case BuiltinType::Short:
  case BuiltinType::Int:
  case BuiltinType::Long:
  case BuiltinType::LongLong:
  case BuiltinType::WChar_S:
    return HM_K_SINT;
  case BuiltinType::UChar:
  case BuiltinType::UShort:
  case BuiltinType::UInt:
  case BuiltinType::ULong:
  case BuiltinType::ULongLong:
  case BuiltinType::WChar_U:
    return HM_K_UINT;
  case BuiltinType::Float:
  case BuiltinType::Double:
    return HM_K_FLOAT;
  case BuiltinType::LongDouble:
    why = "long double differs between targets and is not converted yet";
    return 0;
  case BuiltinType::Int128:
  case BuiltinType::UInt128:
    why = "128-bit integers are not converted yet";
    return 0;
  default:
    why = "this scalar type is not converted yet";
    return 0;
  }
}

} // namespace

std::string TypeDescriptors::emit(const std::string &key, unsigned kind,
                                  const std::string &size,
                                  const std::string &spelling,
                                  const std::string &elem,
                                  unsigned long long count,
                                  const std::string &why) {
  std::string name = "hm_t" + std::to_string(names.size());
  names[key] = name;
  defs += "static const struct hm_type " + name + " = { " + std::to_string(kind) +
          ", " + size + ", " + quote(spelling) + ", " +
          (elem.empty() ? "0" : "&" + elem) + ", " + std::to_string(count) +
          "UL, " + (why.empty() ? "0" : quote(why)) + " };\n";
  return name;
}

std::string TypeDescriptors::get(QualType type) {
  QualType canon = type.getCanonicalType().getUnqualifiedType();
  const std::string key = canon.getAsString();
  auto it = names.find(key);
  if (it != names.end())
    return it->second;
  const std::string spelling = type.getUnqualifiedType().getAsString();
  // Sizes the instrumenter computed for this target: for types that cannot be
  // named at file scope; everything convertible uses sizeof instead.
  const std::string computed =
      std::to_string(ctx.ast.getTypeSizeInChars(canon).getQuantity()) + "UL";

  QualType scalar = canon;
  if (const auto *et = canon->getAs<EnumType>())
    scalar = et->getDecl()->getIntegerType().getCanonicalType();
  std::string why;
  if (const auto *bt = dyn_cast<BuiltinType>(scalar)) {
    if (unsigned kind = scalarKind(bt, why))
      return emit(key, kind, "sizeof(" + scalar.getAsString() + ")", spelling, "",
                  0, "");
    return emit(key, HM_K_UNSUPPORTED, computed, spelling, "", 0, why);
  }
  if (const auto *at = ctx.ast.getAsConstantArrayType(canon)) {
    std::string elem = get(at->getElementType());
    // A named size when the whole array is made of scalars, else the computed one.
    QualType base = ctx.ast.getBaseElementType(canon);
    bool nameable = base->isBuiltinType() || base->isEnumeralType();
    std::string size = nameable ? "sizeof(" + ctx.declare(canon, "") + ")" : computed;
    if (base->isEnumeralType())
      size = computed;
    return emit(key, HM_K_ARRAY, size, spelling, elem,
                at->getSize().getZExtValue(), "");
  }
  if (canon->isPointerType())
    why = "pointers are not converted yet";
  else if (canon->isStructureType())
    why = "structs are not converted yet";
  else if (canon->isUnionType())
    why = "unions are not converted yet";
  else if (canon->isAnyComplexType())
    why = "complex numbers are not converted yet";
  else
    why = "this type is not converted yet";
  return emit(key, HM_K_UNSUPPORTED, computed, spelling, "", 0, why);
}

} // namespace hm
