# The self-contained release build, included by the Makefile (see README.md here).
# Everything lands under .build/dist, apart from the debug and plain release builds.

DIST_SCRATCH := .build/dist
DIST_LINK    := $(DIST_SCRATCH)/static-link
DIST_BIN     := $(DIST_SCRATCH)/release/hyperlab
LUA_LIBDIR   := $(shell pkg-config --variable=libdir lua5.4 2>/dev/null || echo /usr/lib/x86_64-linux-gnu)
SWIFT_CLANG  := $(dir $(realpath $(shell command -v $(SWIFT))))clang

# A folder holding only the static archives, searched before the system's, and a
# lua5.4.pc naming it, so that `-llua5.4` and the runtime's `-lstdc++` find the .a files.
$(DIST_LINK)/lua5.4.pc: Sources/Release/link.mk Sources/Release/glibc-compat.c
	@mkdir -p $(DIST_LINK)
	ln -sf $(LUA_LIBDIR)/liblua5.4.a $(DIST_LINK)/liblua5.4.a
	ln -sf "$$($(SWIFT_CLANG) -print-file-name=libstdc++.a)" $(DIST_LINK)/libstdc++.a
	@test -f $(DIST_LINK)/liblua5.4.a -a -f "$$(readlink $(DIST_LINK)/libstdc++.a)" || \
	  { echo "missing liblua5.4.a or libstdc++.a (apt-get install liblua5.4-dev libstdc++-12-dev)"; exit 1; }
	$(SWIFT_CLANG) -O2 -fPIC -c Sources/Release/glibc-compat.c -o $(DIST_LINK)/glibc-compat.o
	printf 'Name: Lua\nDescription: Lua 5.4, linked from liblua5.4.a\nVersion: 5.4\nLibs: -L%s -llua5.4 -lm\nCflags: -I/usr/include/lua5.4\n' \
	  "$(abspath $(DIST_LINK))" > $@

dist-build: deps $(DIST_LINK)/lua5.4.pc
	PKG_CONFIG_PATH=$(abspath $(DIST_LINK)) $(SWIFT) build -c release --product hyperlab \
	  --scratch-path $(DIST_SCRATCH) --static-swift-stdlib \
	  -Xswiftc -Xclang-linker -Xswiftc -static-libgcc \
	  -Xlinker --wrap=arc4random -Xlinker $(abspath $(DIST_LINK))/glibc-compat.o

dist: dist-build
	Sources/Release/dist.sh $(DIST_BIN) dist
