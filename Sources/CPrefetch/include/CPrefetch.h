#ifndef HYPERLAB_CPREFETCH_H
#define HYPERLAB_CPREFETCH_H

/* Asks the CPU to bring the cache lines of an object into cache while other work goes on
 * (a hint: it never faults and changes nothing). The sampler issues these for every VM
 * of a host before sampling them, so the VMs' scattered objects arrive together instead
 * of one miss after another. Inlined into Swift by the Clang importer. */
static inline void hl_prefetch(const void *p, int lines) {
    const char *c = (const char *)p;
    for (int i = 0; i < lines; i++) __builtin_prefetch(c + 64 * i, 0, 3);
}

#endif
