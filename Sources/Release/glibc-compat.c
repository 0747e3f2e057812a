// Linked only into the self-contained release binary (`make dist`), never into the
// SwiftPM targets. Debian 12's libstdc++.a (linked statically there) calls arc4random,
// which glibc has only since 2.36; Ubuntu 22.04 (Gradescope's default image) has 2.35.
// The release link passes `--wrap=arc4random`, so those calls land here instead and the
// binary keeps to the symbols of glibc 2.35.
#include <errno.h>
#include <stdint.h>
#include <sys/random.h>
#include <unistd.h>

uint32_t __wrap_arc4random(void) {
    uint32_t value = 0;
    unsigned char *p = (unsigned char *)&value;
    size_t got = 0;
    while (got < sizeof value) {
        ssize_t n = getrandom(p + got, sizeof value - got, 0);
        if (n > 0) { got += (size_t)n; continue; }
        if (n < 0 && errno == EINTR) continue;
        _exit(70);  // no entropy at all: the kernel refused getrandom (EX_SOFTWARE)
    }
    return value;
}
