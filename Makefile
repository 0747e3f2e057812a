# HyperLab: `make demo` builds and grades the example labs; `make test` runs every test;
# `make dist` builds the self-contained release tarball. They install what is missing on a
# fresh Debian machine with Swift (liblua5.4-dev, pkg-config, lua-check, chromium for the
# HTML report test, bubblewrap for the clean-root test, tmux for the `hyperlab top` and `hyperlab shell` terminal tests; apt-get, with sudo when not root).

SWIFT     ?= swift
BIN       := .build/debug/hyperlab
RELEASE   := .build/release/hyperlab

.PHONY: all deps build release dist dist-build bench-dist demo test test-swift test-asan test-asan-swift test-labs test-cli docs docs-check lint bench clean

all: build

# Installs the system packages the build needs, once.
deps:
	@missing=""; \
	command -v pkg-config >/dev/null 2>&1 || missing="$$missing pkg-config"; \
	[ -f /usr/include/lua5.4/lua.h ] || missing="$$missing liblua5.4-dev"; \
	command -v luacheck >/dev/null 2>&1 || missing="$$missing lua-check"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v bwrap >/dev/null 2>&1 || missing="$$missing bubblewrap"; \
	command -v strip >/dev/null 2>&1 || missing="$$missing binutils"; \
	command -v tmux >/dev/null 2>&1 || missing="$$missing tmux"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# The self-contained release (dist/hyperlab-VERSION-linux-x86_64.tar.gz): Sources/Release/.
include Sources/Release/link.mk

# Runs every lab against its reference solution and prints the results.
demo: build
	@echo
	@for lab in labs/*/; do $(BIN) run $$lab; echo; done
	@$(BIN) verify --solutions-only

# The release tarball first (the clean-root test unpacks it and the packages made with its
# binary), the C shim's tests under sanitizers, then the Swift tests, then every lab graded
# twice: the solution must score full marks and the starter must not; then the command
# line's exit codes, the generated docs and luacheck.
test: export HYPERLAB_REQUIRE_DIST = 1
test: deps dist test-asan test-swift test-labs test-cli docs-check lint

test-swift:
	$(SWIFT) build --build-tests
	$(SWIFT) test

# The C shim (Sources/CLuaShim) with Tests/CShim/harness.c, under AddressSanitizer and
# UndefinedBehaviorSanitizer (leaks too): the pattern and table functions against the
# stock library, print, and every attack on the limits. Built by the Swift toolchain's
# clang in about 2 s, with no Swift rebuild.
SANITIZE_CC ?= $(shell command -v clang 2>/dev/null || echo cc)
SANITIZE_LD ?= $(if $(shell command -v ld.lld 2>/dev/null),-fuse-ld=lld)
test-asan: deps
	@mkdir -p .build
	$(SANITIZE_CC) -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer $(SANITIZE_LD) \
	  -ISources/CLuaShim/include $$(pkg-config --cflags lua5.4) Sources/CLuaShim/*.c Tests/CShim/harness.c \
	  $$(pkg-config --libs lua5.4) -o .build/cshim-tests
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 .build/cshim-tests Tests/CShim

# The Swift side of the boundary under AddressSanitizer too (Swift has no UBSan on
# Linux): LuaKit's and the bindings' tests. Not part of `make test`: it builds the whole
# package again (about 270 s on the project's 2-core machine; the tests then take 15 s).
# XCTest's own runner leaks 144 bytes, hence no leak check.
test-asan-swift: deps
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build/asan
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --skip-build --sanitize=address --scratch-path .build/asan \
	  --filter 'LuaKitTests|LabRuntimeTests'

test-labs: build
	$(BIN) verify

test-cli: build
	@set -e; \
	expect() { want=$$1; shift; set +e; "$$@" >/dev/null 2>&1; got=$$?; set -e; \
	  if [ $$got -ne $$want ]; then echo "FAIL: $$* exited $$got, expected $$want"; exit 1; fi; \
	  echo "ok: exit $$got: $$*"; }; \
	expect 0 $(BIN) run labs/01-lazy-allocation; \
	expect 1 $(BIN) run labs/01-lazy-allocation --submission labs/01-lazy-allocation/starter; \
	expect 2 $(BIN) run Tests/Fixtures/broken-lab.lua; \
	expect 4 $(BIN) run no/such/lab; \
	expect 4 $(BIN) run labs/01-lazy-allocation --no-such-flag; \
	expect 4 $(BIN) run labs/01-lazy-allocation --submission no/such/folder; \
	expect 4 $(BIN) run labs/01-lazy-allocation --threads 0; \
	expect 4 $(BIN) run labs/01-lazy-allocation --submission labs/01-lazy-allocation/lab.lua; \
	expect 0 $(BIN) check labs/01-lazy-allocation --submission labs/01-lazy-allocation/solution/answer.lua; \
	expect 3 $(BIN) pack labs/01-lazy-allocation --target student --output no/such/folder/s.zip; \
	a=$$($(BIN) run labs/02-cpu-overcommit --format json); b=$$($(BIN) run labs/02-cpu-overcommit --format json --threads 2); \
	[ "$$a" = "$$b" ] && echo "ok: identical JSON for the same lab and seed, 1 or 2 threads" || { echo "FAIL: JSON differs between runs"; exit 1; }

# The API reference and the LuaCATS types are generated from the binding declarations.
docs: build
	$(BIN) docs

docs-check: build
	$(BIN) docs --check

lint: build
	luacheck --no-color stdlib-lua labs
	$(BIN) lint labs/*/

bench: release
	bench/run.sh

# Start-up and size of the self-contained release.
bench-dist: dist
	bench/dist.sh

clean:
	rm -rf .build dist
