// A small stack interpreter whose values are tagged unions, as interpreters
// write them (clox's Value), and a list of cells with an anonymous union: the
// program never says which member goes with which tag, but its constructors,
// assignments, switches and ifs do, and hmcc reads it there. Values it never
// names keep the untagged rule (spare: all zero bits convert). Every pair, every point, and
// a checkpoint at each point; uninitialised Values (a, b) start at zero.
// RUN: %migrate-matrix --checkpoints --points all %s | FileCheck %s
// CHECK: inferred-union-tags: 49 of 49 checkpoints go on
// CHECK: inferred-union-tags: 12 pairs x 49 points: 588 of 588 migrations match
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { VAL_NIL, VAL_BOOL, VAL_NUMBER, VAL_INT, VAL_OBJ } ValueType;

typedef struct Obj {
  int kind;
  struct Obj *next;
  char text[24];
} Obj;

typedef struct {
  ValueType type;
  union {
    _Bool boolean;
    double number;
    long integer;
    Obj *obj;
  } as;
} Value;

#define NIL_VAL ((Value){VAL_NIL, {.number = 0}})
#define BOOL_VAL(v) ((Value){VAL_BOOL, {.boolean = (v)}})
#define NUMBER_VAL(v) ((Value){VAL_NUMBER, {.number = (v)}})
#define OBJ_VAL(o) ((Value){VAL_OBJ, {.obj = (o)}})
#define IS_NUMBER(v) ((v).type == VAL_NUMBER)
#define AS_NUMBER(v) ((v).as.number)
#define AS_OBJ(v) ((v).as.obj)

// A cell of a list, written the other way: an anonymous union, a switch.
struct cell {
  int tag;
  union {
    long n;
    struct cell *sub;
    const char *name;
  };
  struct cell *rest;
};

static Obj *objects;

static Obj *newString(const char *s) {
  Obj *o = malloc(sizeof(Obj));
  o->kind = 1;
  o->next = objects;
  snprintf(o->text, sizeof o->text, "%s", s);
  objects = o;
  return o;
}

static Value stack[64];
static Value spare; // a tag value no code names, its union all zero
static int top;

static void push(Value v) { stack[top++] = v; }
static Value pop(void) { return stack[--top]; }

static void print(Value v) {
  switch (v.type) {
  case VAL_NIL: printf("nil"); break;
  case VAL_BOOL: printf(v.as.boolean ? "true" : "false"); break;
  case VAL_NUMBER: printf("%g", v.as.number); break;
  case VAL_INT: printf("%ld", v.as.integer); break;
  case VAL_OBJ: printf("\"%s\"", v.as.obj->text); break;
  }
}

static long sum(const struct cell *c) {
  long s = 0;
  for (; c; c = c->rest) {
    migrate_now();
    switch (c->tag) {
    case 0: s += c->n; break;
    case 1: s += 100 * sum(c->sub); break;
    case 2: s += (long)strlen(c->name); break;
    }
  }
  return s;
}

static struct cell *cons(int tag, struct cell *rest) {
  struct cell *c = calloc(1, sizeof *c);
  c->tag = tag;
  c->rest = rest;
  return c;
}

int main(void) {
  const char *program = "n1 n2 + s s c i b ! n0.5 n2 - n4 n3 * + i * p p p p p";
  Value local = NUMBER_VAL(0.25);
  spare.type = (ValueType)(top + 7);
  for (const char *pc = program; *pc; pc++) {
    Value a, b;
    switch (*pc) {
    case 'n': push(NUMBER_VAL(strtod(pc + 1, NULL))); while (pc[1] && pc[1] != ' ') pc++; break;
    case 's': push(OBJ_VAL(newString(top % 2 ? "odd" : "even"))); break;
    case 'c': {
      b = pop(); a = pop();
      char buf[48];
      snprintf(buf, sizeof buf, "%s+%s", AS_OBJ(a)->text, AS_OBJ(b)->text);
      push(OBJ_VAL(newString(buf)));
      break;
    }
    case 'i': { Value v; v.type = VAL_INT; v.as.integer = 40 + top; push(v); break; }
    case 'b': push(BOOL_VAL(top > 2)); break;
    case '!': a = pop(); push(BOOL_VAL(!a.as.boolean)); break;
    case '+': case '-': case '*':
      b = pop(); a = pop();
      if (IS_NUMBER(a) && IS_NUMBER(b))
        push(NUMBER_VAL(*pc == '+' ? AS_NUMBER(a) + AS_NUMBER(b)
                        : *pc == '-' ? AS_NUMBER(a) - AS_NUMBER(b) : AS_NUMBER(a) * AS_NUMBER(b)));
      else
        push(NIL_VAL);
      break;
    case 'p': print(pop()); printf("\n"); break;
    }
    migrate_now();
  }
  print(local);
  printf("\n");
  struct cell *inner = cons(0, cons(2, NULL));
  inner->n = 7;
  inner->rest->name = "abcd";
  struct cell *list = cons(1, cons(0, NULL));
  list->sub = inner;
  list->rest->n = 5;
  printf("sum %ld spare %d\n", sum(list), (int)spare.type);
  return 0;
}
