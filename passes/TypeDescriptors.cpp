// TypeDescriptors.cpp — what each C type is, with its layout left to the target compiler.
//
// Sizes and offsets are `sizeof` and `__builtin_offsetof` wherever the type can be
// named at file scope; elsewhere (block-scope types, bit-fields, anonymous members)
// they are clang's layout for the same target and flags.
#include "TypeDescriptors.h"
#include "PeerWidths.h"
#include "hm/abi.h"

#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/RecordLayout.h"
#include "clang/AST/Type.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

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
    return HM_K_LDOUBLE;
  case BuiltinType::Int128:
  case BuiltinType::UInt128:
    why = "128-bit integers are not converted yet";
    return 0;
  default:
    why = "this scalar type is not converted yet";
    return 0;
  }
}

struct Descriptor {
  unsigned kind = HM_K_UNSUPPORTED;
  std::string size = "0UL", spelling, elem, why, fields;
  unsigned long long count = 0;
  unsigned nfields = 0, mantDig = 0, flags = 0;
};

std::string define(const std::string &name, const Descriptor &d) {
  return "static const struct hm_type " + name + " = { " + std::to_string(d.kind) +
         ", " + d.size + ", " + quote(d.spelling) + ", " +
         (d.elem.empty() ? "0" : "&" + d.elem) + ", " + std::to_string(d.count) +
         "UL, " + (d.why.empty() ? "0" : quote(d.why)) + ", " +
         (d.fields.empty() ? "0" : d.fields) + ", " + std::to_string(d.nfields) +
         ", " + std::to_string(d.mantDig) + ", " + std::to_string(d.flags) + " };\n";
}

} // namespace

std::string TypeDescriptors::fileScopeName(QualType canon) const {
  if (const auto *rt = canon->getAs<RecordType>()) {
    const RecordDecl *rd = rt->getDecl();
    if (!rd->getDeclContext()->getRedeclContext()->isTranslationUnit())
      return "";
    if (rd->getIdentifier())
      return (rd->isUnion() ? "union " : "struct ") + rd->getNameAsString();
    if (const TypedefNameDecl *td = rd->getTypedefNameForAnonDecl())
      return td->getNameAsString();
    return "";
  }
  if (canon->isBuiltinType() || canon->isAnyComplexType())
    return canon.getAsString();
  if (const auto *at = ctx.ast.getAsConstantArrayType(canon)) {
    std::string elem = fileScopeName(at->getElementType().getCanonicalType());
    if (elem.empty() || elem.find('[') != std::string::npos)
      return ""; // multi-dimensional arrays are sized by their own declarator
    return elem;
  }
  return "";
}

// Whether the type is spelled through uintptr_t or intptr_t: an integer meant to
// hold an address, which the runtime refuses to carry when it does.
static bool holdsAddress(QualType type) {
  while (const auto *td = type->getAs<TypedefType>()) {
    llvm::StringRef name = td->getDecl()->getName();
    if (name == "uintptr_t" || name == "intptr_t")
      return true;
    type = td->getDecl()->getUnderlyingType();
  }
  return false;
}

// Whether the type is long or unsigned long on some target: a long itself, or
// spelled through a typedef the C library makes one (size_t is unsigned int on
// 32-bit ARM): its size is the data model's.
static bool longSized(QualType type, const ASTContext &ast) {
  if (const ArrayType *at = ast.getAsArrayType(type))
    return longSized(at->getElementType(), ast); // its elements'
  for (;;) {
    const auto *td = type->getAs<TypedefType>();
    if (!td) {
      const auto *bt = type.getCanonicalType()->getAs<BuiltinType>();
      return bt && (bt->getKind() == BuiltinType::Long || bt->getKind() == BuiltinType::ULong);
    }
    const llvm::StringRef name = td->getDecl()->getName().ltrim('_');
    if (libcLongTypedef(name))
      return true;
    // int64_t, uint_fast64_t, intmax_t: their width is theirs on every target
    // (long long where long is narrower).
    if ((name.startswith("int") || name.startswith("uint")) && name.endswith("_t"))
      return false;
    type = td->getDecl()->getUnderlyingType();
  }
}

std::string TypeDescriptors::get(QualType type, TypeLoc spelled) {
  return get(type, fixedWidthLong(ctx, spelled));
}

std::string TypeDescriptors::get(QualType type, bool fixedLong) {
  QualType canon = type.getCanonicalType().getUnqualifiedType();
  const bool addressInt = holdsAddress(type);
  const bool isLong = (canon->isIntegerType() || canon->isArrayType()) &&
                      longSized(type, ctx.ast) && !fixedLong;
  // An array's or a pointer's element as spelled (an int64_t is not a long,
  // HM_F_LONG), described first: its descriptor is part of the key. A record
  // names itself before its fields, so a pointer to one ends the recursion.
  QualType spelledElem;
  if (canon->isPointerType()) {
    if (!canon->getPointeeType()->isFunctionType() && !canon->getPointeeType()->isVoidType())
      spelledElem = type->getPointeeType();
  } else if (const ArrayType *at = ctx.ast.getAsArrayType(type)) {
    spelledElem = at->getElementType();
  }
  const std::string elem = spelledElem.isNull() ? "" : get(spelledElem, fixedLong);
  // By the type itself, not its spelling: two functions may each declare their
  // own `struct counter`, of different layouts.
  const std::string key = std::to_string(reinterpret_cast<std::uintptr_t>(
                              canon.getAsOpaquePtr())) +
                          (addressInt ? "#address" : "") + (isLong ? "#long" : "") +
                          (elem.empty() ? "" : "->" + elem);
  auto it = names.find(key);
  if (it != names.end())
    return it->second;
  const std::string name = "hm_t" + std::to_string(names.size());
  names[key] = name; // before recursing: records may refer to themselves
  declarations += "static const struct hm_type " + name + ";\n";

  Descriptor d;
  d.spelling = type.getUnqualifiedType().getAsString();
  if (const auto *rt = canon->getAs<RecordType>()) {
    // A struct declared inside a function is named with its place: another
    // function's struct of the same name is another type.
    const RecordDecl *rd = rt->getDecl();
    if (rd->getIdentifier() && !rd->getDeclContext()->getRedeclContext()->isTranslationUnit()) {
      const PresumedLoc at = ctx.sm.getPresumedLoc(rd->getLocation());
      if (at.isValid())
        d.spelling = canon.getAsString() + " (" +
                     llvm::sys::path::filename(at.getFilename()).str() + ":" +
                     std::to_string(at.getLine()) + ")";
    }
  }
  const bool complete = !canon->isIncompleteType();
  const std::string computed =
      complete ? std::to_string(ctx.ast.getTypeSizeInChars(canon).getQuantity()) + "UL"
               : "0UL";
  const std::string fsName = fileScopeName(canon);
  d.size = computed;

  QualType scalar = canon;
  if (const auto *et = canon->getAs<EnumType>())
    scalar = et->getDecl()->getIntegerType().getCanonicalType();
  if (const auto *bt = dyn_cast<BuiltinType>(scalar)) {
    if ((d.kind = scalarKind(bt, d.why))) {
      d.size = "sizeof(" + scalar.getAsString() + ")";
      d.flags = addressInt ? HM_F_ADDRESS_INT : 0;
      if (isLong)
        d.flags |= HM_F_LONG;
      if (d.kind == HM_K_LDOUBLE)
        d.mantDig = llvm::APFloat::semanticsPrecision(
            ctx.ast.getFloatTypeSemantics(ctx.ast.LongDoubleTy));
    } else {
      d.kind = HM_K_UNSUPPORTED;
    }
  } else if (const auto *ct = canon->getAs<ComplexType>()) {
    d.kind = HM_K_ARRAY;
    d.elem = get(ct->getElementType());
    d.count = 2;
    d.size = "sizeof(" + canon.getAsString() + ")";
  } else if (const auto *at = ctx.ast.getAsConstantArrayType(canon)) {
    d.kind = HM_K_ARRAY;
    d.elem = elem;
    d.count = at->getSize().getZExtValue();
    if (!fsName.empty())
      d.size = "sizeof(" + ctx.declare(canon, "") + ")";
  } else if (const auto *rt = canon->getAs<RecordType>()) {
    const RecordDecl *def = rt->getDecl()->getDefinition();
    if (!def) {
      d.why = "incomplete type";
    } else if (def->isImplicit()) {
      d.why = "a va_list cannot migrate: its place in the variable arguments is the "
              "machine's";
    } else if (def->getName() == "_IO_FILE") {
      // Its fields are glibc's: a stream travels as a landmark (runtime/streams.cpp).
      d.why = "a FILE is glibc's own structure: only pointers to streams travel";
    } else {
      if (!fsName.empty())
        d.size = "sizeof(" + fsName + ")";
      d.kind = def->isUnion() ? HM_K_UNION : HM_K_STRUCT;
      d.fields = record(name, canon, def, d.size);
      if (def->getName() == "__jmp_buf_tag") // glibc's jmp_buf and sigjmp_buf
        d.flags = HM_F_MACHINE_STATE;
      for (const FieldDecl *f : def->fields()) {
        (void)f;
        ++d.nfields;
      }
    }
  } else if (canon->isPointerType()) {
    QualType pointee = canon->getPointeeType();
    d.size = "sizeof(void *)";
    if (pointee->isFunctionType()) {
      d.kind = HM_K_FUNCPTR;
    } else {
      d.kind = HM_K_POINTER;
      if (!pointee->isVoidType())
        d.elem = elem;
    }
  } else if (const auto *ia = dyn_cast<IncompleteArrayType>(canon)) {
    // A flexible array member: no elements of its own in a sized object.
    d.kind = HM_K_ARRAY;
    d.elem = elem;
    d.count = 0;
    d.size = "0UL";
  } else {
    d.why = "this type is not converted yet";
  }
  definitions += define(name, d);
  return name;
}

std::string TypeDescriptors::record(const std::string &name, QualType canon,
                                    const RecordDecl *def, const std::string &) {
  const ASTRecordLayout &layout = ctx.ast.getASTRecordLayout(def);
  const std::string fsName = fileScopeName(canon);
  std::vector<std::string> rows;
  unsigned index = 0;
  for (const FieldDecl *f : def->fields()) {
    const uint64_t bits = layout.getFieldOffset(index);
    std::string offset = std::to_string(bits / 8) + "UL";
    if (!fsName.empty() && !f->isBitField() && f->getIdentifier())
      offset = "__builtin_offsetof(" + fsName + ", " + f->getNameAsString() + ")";
    std::string tag = unionTag(name, index, f, def);
    rows.push_back("{ " + quote(f->getNameAsString()) + ", &" + get(f->getType(), f->getTypeSourceInfo() ? f->getTypeSourceInfo()->getTypeLoc() : TypeLoc()) +
                   ", " + offset + ", " + std::to_string(bits) + "UL, " +
                   std::to_string(f->isBitField() ? f->getBitWidthValue(ctx.ast) : 0) +
                   ", " + (tag.empty() ? "-1, 0, 0, 0, 0" : tag) + " }");
    ++index;
  }
  if (rows.empty())
    return "";
  std::string table = name + "_fields";
  definitions += "static const struct hm_field " + table + "[] = {\n";
  for (const std::string &r : rows)
    definitions += "  " + r + ",\n";
  definitions += "};\n";
  return table;
}

// HM_UNION_TAG("tagfield: VALUE=member ...") or ("flags & MASK: VALUE=member ..."):
// which member of a union field is active.
std::string TypeDescriptors::unionTag(const std::string &name, unsigned index,
                                      const FieldDecl *field,
                                      const RecordDecl *parent) {
  for (const auto *attr : field->specific_attrs<AnnotateAttr>()) {
    llvm::StringRef spec = attr->getAnnotation();
    if (!spec.consume_front("hm_tag "))
      continue;
    const RecordDecl *u = field->getType()->getAsRecordDecl();
    if (!u || !u->isUnion()) {
      ctx.error(field->getLocation(), "HM_UNION_TAG names a field that is not a union");
      return "";
    }
    auto [tagSpec, entries] = spec.split(':');
    auto [tagName, maskText] = tagSpec.split('&');
    tagName = tagName.trim();
    maskText = maskText.trim();
    unsigned long long mask = ~0ULL;
    if (!maskText.empty() && !integerOrEnumerator(maskText, mask)) {
      ctx.error(field->getLocation(), "HM_UNION_TAG: cannot read the mask '" +
                                          maskText.str() +
                                          "' (want an integer or an enumerator)");
      return "";
    }
    int tagIndex = -1, i = 0;
    for (const FieldDecl *f : parent->fields()) {
      if (f->getName() == tagName && f->getType()->isIntegralOrEnumerationType())
        tagIndex = i;
      ++i;
    }
    if (tagIndex < 0) {
      ctx.error(field->getLocation(), "HM_UNION_TAG: '" + tagName.str() +
                                          "' is not an integer field beside '" +
                                          field->getNameAsString() + "'");
      return "";
    }
    llvm::SmallVector<llvm::StringRef, 8> items;
    entries.split(items, ' ', -1, false);
    std::string values, members;
    unsigned n = 0;
    for (llvm::StringRef item : items) {
      auto [valueText, memberName] = item.split('=');
      unsigned long long bits = 0;
      const bool ok = integerOrEnumerator(valueText, bits) && (bits & mask) == bits;
      const auto value = static_cast<long long>(bits);
      int member = -1, m = 0;
      for (const FieldDecl *f : u->fields()) {
        if (f->getName() == memberName)
          member = m;
        ++m;
      }
      if (!ok || member < 0) {
        ctx.error(field->getLocation(),
                  "HM_UNION_TAG: cannot read '" + item.str() +
                      "' (want VALUE=member, VALUE an integer or an enumerator, "
                      "within the mask if there is one)");
        return "";
      }
      values += std::to_string(value) + "LL, ";
      members += std::to_string(member) + "U, ";
      ++n;
    }
    if (n == 0) {
      ctx.error(field->getLocation(), "HM_UNION_TAG lists no members");
      return "";
    }
    return tagTable(name + "_tag" + std::to_string(index), tagIndex,
                    std::vector<unsigned long long>(n, mask), values, members);
  }
  auto inferred = ctx.inferredTags.find(field);
  if (inferred == ctx.inferredTags.end())
    return "";
  // What the code says, and for the values it does not name, the untagged rule.
  std::string values, members;
  std::vector<unsigned long long> masks;
  for (const auto &e : inferred->second.entries) {
    values += std::to_string(e.value) + "LL, ";
    members += std::to_string(e.member) + "U, ";
    masks.push_back(e.mask);
  }
  masks.push_back(masks.empty() ? ~0ULL : masks.back());
  return tagTable(name + "_tag" + std::to_string(index), inferred->second.tagField, masks,
                  values + "0LL, ", members + "HM_TAG_OTHERS, ");
}

// The tag arrays of a union field, and its hm_field entries from tag_field on.
std::string TypeDescriptors::tagTable(const std::string &base, unsigned tagField,
                                      const std::vector<unsigned long long> &masks,
                                      const std::string &values, const std::string &members) {
  definitions += "static const long long " + base + "_values[] = { " + values + "};\n";
  definitions += "static const unsigned " + base + "_members[] = { " + members + "};\n";
  std::string maskArray = "0";
  if (std::any_of(masks.begin(), masks.end(), [](unsigned long long m) { return m != ~0ULL; })) {
    maskArray = base + "_masks";
    definitions += "static const unsigned long long " + maskArray + "[] = { ";
    for (unsigned long long m : masks)
      definitions += std::to_string(m) + "ULL, ";
    definitions += "};\n";
  }
  return std::to_string(tagField) + ", " + base + "_values, " + base + "_members, " +
         std::to_string(masks.size()) + ", " + maskArray;
}

// An integer (0x.., 0.., decimal) or an enumerator of the unit.
bool TypeDescriptors::integerOrEnumerator(llvm::StringRef text, unsigned long long &value) {
  long long v = 0;
  if (!text.getAsInteger(0, v)) {
    value = static_cast<unsigned long long>(v);
    return true;
  }
  for (NamedDecl *nd : ctx.ast.getTranslationUnitDecl()->lookup(&ctx.ast.Idents.get(text)))
    if (const auto *ec = dyn_cast<EnumConstantDecl>(nd)) {
      value = static_cast<unsigned long long>(ec->getInitVal().getSExtValue());
      return true;
    }
  return false;
}

} // namespace hm
