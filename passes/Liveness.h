// Liveness.h — which locals a function may still read after a migration point.
//
// A site carries only the variables the function may read again: a dead
// pointer (one the program freed and never reads again) would otherwise be
// carried, and when a new block took its old address, its type would say what
// that block holds (docs/supported.md, "Pointers to blocks given back").
// Liveness is computed on clang's CFG of the function as written; the restore
// resumes that same control flow at the site.
#ifndef HM_PASSES_LIVENESS_H
#define HM_PASSES_LIVENESS_H

#include "InstrumentContext.h"

#include "clang/AST/ParentMap.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <memory>
#include <vector>

namespace hm {

class FunctionLiveness {
public:
  FunctionLiveness(const InstrumentContext &ctx, const clang::FunctionDecl *fn);

  // Whether |vd| may be read after |call| returns, by the rest of the
  // function or by the statement's text a restore runs again from the call
  // on (its arguments and the operands around it). True for any variable
  // the analysis does not follow: one whose address is taken, an array, a
  // volatile or variably modified one, every variable of a function that
  // calls setjmp.
  bool liveAfterCall(const clang::VarDecl *vd, const clang::CallExpr *call);
  // Whether |vd| may be read after the poll point at |loop|'s header.
  bool liveAtHeader(const clang::VarDecl *vd, const clang::Stmt *loop);
  // Whether |vd| may be read at some point in |region| or right after it: a
  // poll point after a loop, or before a computed goto.
  bool liveAround(const clang::VarDecl *vd, const clang::Stmt *region);

private:
  bool tracked(const clang::VarDecl *vd) const;
  void compute(const clang::FunctionDecl *fn);
  void transfer(const clang::Stmt *element, llvm::BitVector &live) const;
  void gen(const clang::Stmt *s, llvm::BitVector &live) const;
  const llvm::BitVector *before(const clang::Stmt *s) const;

  const InstrumentContext &ctx;
  bool enabled = false;
  std::unique_ptr<clang::CFG> cfg;
  llvm::DenseMap<const clang::VarDecl *, unsigned> index;
  llvm::DenseMap<const clang::Stmt *, unsigned> elementIndex; // into liveBefore
  std::vector<llvm::BitVector> liveBefore;                   // per CFG element
  llvm::DenseMap<const clang::Stmt *, const clang::CFGBlock *> terminatorOf;
  llvm::DenseMap<const clang::Stmt *, const clang::CFGBlock *> blockOf;
  std::vector<llvm::BitVector> liveIn, liveOut;              // per block ID
  llvm::DenseSet<const clang::Stmt *> elements;
  llvm::DenseSet<const clang::DeclRefExpr *> assigned;       // the x of `x = ...`
  llvm::DenseMap<const clang::Stmt *, llvm::BitVector> regions;
  std::unique_ptr<clang::ParentMap> parents;
};

} // namespace hm
#endif
