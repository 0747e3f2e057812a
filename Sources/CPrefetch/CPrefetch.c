/* The module is its header (hl_prefetch is static inline); SwiftPM needs one source. */
#include "CPrefetch.h"
