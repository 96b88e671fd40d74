/* A health-care simulation over linked lists (the shape of Olden's health): a
 * four-way tree of villages, each with a hospital whose patients wait, are
 * treated and are sent up the tree or home; patients are allocated and freed
 * all the time. */
#include <stdio.h>
#include <stdlib.h>

struct patient { int hosps_visited, time, time_left; struct village *home; };
struct plist { struct patient *patient; struct plist *next; };
struct hospital { int free_personnel, num_waiting; struct plist *waiting, *assess, *inside, *up; };
struct village { struct village *forward[4]; struct village *back; struct hospital hosp;
                 int label; unsigned long seed; };

static long treated, sent_up, went_home;

static unsigned rnd(unsigned long *seed) {
  *seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
  return (unsigned)(*seed >> 33);
}

static struct village *alloc_tree(int level, int label, struct village *back) {
  if (level == 0) return NULL;
  struct village *v = calloc(1, sizeof *v);
  for (int i = 0; i < 4; i++) v->forward[i] = alloc_tree(level - 1, label * 4 + i + 1, v);
  v->back = back;
  v->label = label;
  v->seed = 12345u + (unsigned long)label * 7919u;
  v->hosp.free_personnel = 2 << level;
  return v;
}

static void push(struct plist **list, struct patient *p) {
  struct plist *n = malloc(sizeof *n);
  n->patient = p;
  n->next = *list;
  *list = n;
}

static void remove_from(struct plist **list, struct patient *p) {
  for (; *list; list = &(*list)->next)
    if ((*list)->patient == p) {
      struct plist *dead = *list;
      *list = dead->next;
      free(dead);
      return;
    }
}

static void check_inside(struct village *v) {
  struct plist **l = &v->hosp.inside;
  while (*l) {
    struct patient *p = (*l)->patient;
    if (--p->time_left == 0) {
      struct plist *dead = *l;
      *l = dead->next;
      free(dead);
      v->hosp.free_personnel++;
      went_home++;
      free(p);
    } else {
      l = &(*l)->next;
    }
  }
}

static void check_assess(struct village *v) {
  struct plist **l = &v->hosp.assess;
  while (*l) {
    struct patient *p = (*l)->patient;
    if (--p->time_left == 0) {
      struct plist *dead = *l;
      *l = dead->next;
      free(dead);
      if (v->back && rnd(&v->seed) % 10 < 3) {
        v->hosp.free_personnel++;
        push(&v->back->hosp.up, p);
        sent_up++;
      } else {
        p->time_left = 10;
        p->time += 10;
        push(&v->hosp.inside, p);
        treated++;
      }
    } else {
      l = &(*l)->next;
    }
  }
}

static void check_waiting(struct village *v) {
  struct plist *l = v->hosp.waiting;
  while (l && v->hosp.free_personnel > 0) {
    struct patient *p = l->patient;
    l = l->next;
    remove_from(&v->hosp.waiting, p);
    v->hosp.num_waiting--;
    v->hosp.free_personnel--;
    p->time_left = 3;
    p->time += 3;
    push(&v->hosp.assess, p);
  }
  for (l = v->hosp.waiting; l; l = l->next) l->patient->time++;
}

static void sim(struct village *v) {
  if (!v) return;
  for (int i = 0; i < 4; i++) sim(v->forward[i]);
  while (v->hosp.up) {
    struct plist *n = v->hosp.up;
    v->hosp.up = n->next;
    n->patient->hosps_visited++;
    push(&v->hosp.waiting, n->patient);
    v->hosp.num_waiting++;
    free(n);
  }
  check_inside(v);
  check_assess(v);
  check_waiting(v);
  if (rnd(&v->seed) % 100 < 30) {
    struct patient *p = malloc(sizeof *p);
    p->hosps_visited = 0;
    p->time = p->time_left = 0;
    p->home = v;
    push(&v->hosp.waiting, p);
    v->hosp.num_waiting++;
  }
}

static long waiting(const struct village *v) {
  if (!v) return 0;
  long n = v->hosp.num_waiting;
  for (int i = 0; i < 4; i++) n += waiting(v->forward[i]);
  return n;
}

int main(void) {
  struct village *top = alloc_tree(5, 0, NULL);
  for (int step = 0; step < 4000; step++) sim(top);
  printf("treated %ld, sent up %ld, home %ld, waiting %ld\n", treated, sent_up, went_home,
         waiting(top));
  return 0;
}
