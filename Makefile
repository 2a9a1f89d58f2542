# octavo - build an EPUB 3 and a print PDF from one book manuscript.
# `make` installs what is missing (deps), builds octavo and the default
# book; `make check` runs every test suite.

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share/octavo
MANDIR     ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
PKG_CONFIG ?= pkg-config
DEPS       := libxml-2.0 libzip libcmark-gfm yaml-0.1 pangocairo pangoft2 zlib \
              cairo-pdf cairo-png glib-2.0 fontconfig harfbuzz harfbuzz-subset \
              librsvg-2.0 \
              gdk-pixbuf-2.0 \
              libwebp libpng16 libdeflate tree-sitter
TEST_DEPS  := cmocka
NOPC_LIBS  ?= -lhyphen -lm
O          ?= out/build
BOOK       ?= assets/what-biden-and-putin-discussed/book.yaml
WARN       := -Wall -Wextra -Wshadow -Wstrict-prototypes $(if $(WERROR),-Werror)
OPT        ?= -O2 -g
OC_CFLAGS   = -std=c11 -D_POSIX_C_SOURCE=200809L $(OPT) $(WARN) -MMD -MP \
              -iquote src \
              $(shell $(PKG_CONFIG) --cflags $(DEPS)) $(CFLAGS)
# librsvg is opened when a book first shows an SVG picture (vector.c),
# libzip when one is first written as an EPUB (epub.c): not linked, their
# headers only.
OC_LIBS     = $(filter-out -lrsvg-2 -lzip,$(shell $(PKG_CONFIG) --libs $(DEPS))) \
              $(NOPC_LIBS) $(LDLIBS)
TEST_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(TEST_DEPS))
TEST_LIBS   = $(shell $(PKG_CONFIG) --libs $(TEST_DEPS))

# Debian 12 packages: to build, and to run the tests' validators. The
# hyphen-* are every language Debian has hyphenation patterns for.
DEB_BUILD  := gcc make pkg-config libxml2-dev libzip-dev libcmark-gfm-dev \
              libcmark-gfm-extensions-dev libyaml-dev libpango1.0-dev \
              libcairo2-dev libglib2.0-dev libfontconfig-dev \
              libharfbuzz-dev librsvg2-dev libgdk-pixbuf-2.0-dev libwebp-dev \
              libpng-dev zlib1g-dev libdeflate-dev \
              libhyphen-dev libtree-sitter-dev fonts-ebgaramond fonts-dejavu-core \
              fonts-noto-core fonts-noto-cjk fonts-symbola \
              hyphen-af hyphen-as hyphen-be hyphen-bg hyphen-bn hyphen-ca \
              hyphen-cs hyphen-da hyphen-de hyphen-el hyphen-en-gb \
              hyphen-en-us hyphen-es hyphen-fr hyphen-gl hyphen-gu \
              hyphen-hi hyphen-hr hyphen-hu hyphen-id hyphen-is hyphen-it \
              hyphen-kn hyphen-lt hyphen-lv hyphen-ml hyphen-mn hyphen-mr \
              hyphen-nl hyphen-no hyphen-or hyphen-pa hyphen-pl \
              hyphen-pt-br hyphen-pt-pt hyphen-ro hyphen-ru hyphen-sk \
              hyphen-sl hyphen-sr hyphen-sv hyphen-ta hyphen-te hyphen-th \
              hyphen-uk hyphen-zu
DEB_TEST   := libcmocka-dev epubcheck default-jre-headless qpdf valgrind \
              poppler-utils mupdf-tools libxml2-utils unzip python3 pandoc \
              python3-pikepdf zsh \
              chromium $(if $(shell command -v npm),,nodejs npm)
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

SRC     := $(filter-out src/main.c src/cli-%.c,$(wildcard src/*.c))
OBJ     := $(SRC:src/%.c=$(O)/%.o) $(O)/data-files.o
CLI_OBJ := $(patsubst src/%.c,$(O)/%.o,$(wildcard src/cli-*.c)) \
           $(O)/main.o
DATA    := $(sort $(wildcard styles/*.css))
BIN     := $(O)/octavo
UNIT    := $(patsubst tests/unit/%.c,$(O)/tests/%,$(wildcard tests/unit/test_*.c))
STEM    := $(notdir $(patsubst %/,%,$(dir $(BOOK))))
OUT_EPUB = out/$(if $(filter book index,$(basename $(notdir $(BOOK)))),$(STEM),$(basename $(notdir $(BOOK)))).epub
OUT_PDF  = $(OUT_EPUB:.epub=.pdf)

FUZZ_SECONDS ?= 60
FUZZ        := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SAN    := -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all
REPLAY      := $(patsubst %,$(O)/tests/fuzz_%,$(FUZZ))

.PHONY: all epub pdf check test san-test tsan-test deps clean install \
        uninstall sanitize tsan bench fuzz FORCE
.DEFAULT_GOAL := all

# `make` runs deps once, then builds; objects do not depend on it, so
# that a rebuild runs no package query and the Makefile builds on any
# system with the libraries and pkg-config.
all: deps
	@$(MAKE) --no-print-directory $(BIN) epub pdf

# On Debian (dpkg and apt-get present), installs the packages missing
# (as root or through sudo); anywhere, checks that pkg-config finds every
# library.
deps:
	@if command -v dpkg-query >/dev/null 2>&1 && \
	    command -v apt-get >/dev/null 2>&1; then \
	    missing=$$(dpkg-query -W -f='$${Package} $${Status}\n' \
	        $(DEB_BUILD) $(DEB_TEST) 2>&1 | \
	        awk '/no packages found/ {print $$NF; next} \
	             $$NF != "installed" {print $$1}'); \
	    if [ -n "$$missing" ]; then \
	        echo "deps: installing $$(echo $$missing)"; \
	        $(SUDO) apt-get update -qq && \
	        $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y \
	            -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	    fi; \
	fi; \
	for p in $(DEPS) $(TEST_DEPS); do \
	    $(PKG_CONFIG) --exists $$p || { echo "deps: $$p not found"; exit 1; }; \
	done

$(O)/%.o: src/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(OC_CFLAGS) -c $< -o $@

# octavo's data files (styles/) compiled into it (src/data.h): an array
# of bytes per file and the table that names them. Regenerated on every
# make, and replaced only when it changes, so that a file added to or
# removed from styles/ is seen.
$(O)/data-files.c: FORCE
	@mkdir -p $(@D)
	@{ echo '/* Generated by the Makefile from styles/: do not edit. */'; \
	  echo '#include "data.h"'; \
	  i=0; for f in $(DATA); do \
	      echo "static const unsigned char d$$i[] = {"; \
	      od -An -v -tx1 "$$f" | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	      echo "0};"; i=$$((i + 1)); \
	  done; \
	  echo 'const oc_data_file oc_data_files[] = {'; \
	  i=0; for f in $(DATA); do \
	      echo "    {\"$$f\", d$$i, sizeof d$$i - 1},"; i=$$((i + 1)); \
	  done; \
	  echo '    {0, 0, 0}'; \
	  echo '};'; } >$@.new
	@if cmp -s $@.new $@; then rm -f $@.new; \
	 else echo "  GEN     $@"; mv $@.new $@; fi

$(O)/data-files.o: $(O)/data-files.c
	@echo "  CC      $<"
	@$(CC) $(OC_CFLAGS) -c $< -o $@

# The tree-sitter grammars that highlight code (vendor/tree-sitter/
# README.md): generated parsers and their scanners, compiled as they come
# (the YAML scanner stores integers at odd addresses, as x86 allows).
TS_SRC  := $(wildcard vendor/tree-sitter/*/src/parser.c \
             vendor/tree-sitter/*/src/scanner.c \
             vendor/tree-sitter/*/*/src/parser.c \
             vendor/tree-sitter/*/*/src/scanner.c)
TS_OBJ  := $(TS_SRC:vendor/%.c=$(O)/vendor/%.o)

$(O)/vendor/%.o: vendor/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) -std=c11 $(OPT) -w -I$(dir $<) $(CFLAGS) \
	    -fno-sanitize=alignment -c $< -o $@

$(O)/liboctavo.a: $(TS_OBJ)
$(O)/liboctavo.a: $(OBJ)
	@$(AR) rcs $@ $^

$(BIN): $(CLI_OBJ) $(O)/liboctavo.a
	@echo "  LINK    $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(OC_LIBS)

epub: $(BIN)
	$(BIN) build --data-dir . --epub $(OUT_EPUB) $(BOOK)

pdf: $(BIN)
	$(BIN) build --data-dir . --pdf $(OUT_PDF) $(BOOK)

$(O)/tests/%: tests/unit/%.c $(O)/liboctavo.a
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(OC_CFLAGS) $(TEST_CFLAGS) $(LDFLAGS) -o $@ $< \
	    $(O)/liboctavo.a $(OC_LIBS) $(TEST_LIBS)

# Each fuzz target with a driver that replays its corpus and seeded
# variants of it, without libFuzzer (tests/fuzz/replay.c).
$(O)/tests/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(O)/liboctavo.a
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(OC_CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/replay.c \
	    $(O)/liboctavo.a $(OC_LIBS)

$(O)/tests/golden: tests/golden/run.c $(O)/liboctavo.a
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(OC_CFLAGS) $(LDFLAGS) -o $@ $< $(O)/liboctavo.a $(OC_LIBS)

# `make check` runs deps once, then every suite (test), then all of them
# again built with AddressSanitizer and UndefinedBehaviorSanitizer
# (san-test), then the threaded builds under ThreadSanitizer (tsan-test).
# `make sanitize` and `make tsan` run one of the last two.
check: deps
	@$(MAKE) --no-print-directory test
	@$(MAKE) --no-print-directory san-test
	@$(MAKE) --no-print-directory tsan-test

sanitize: deps
	@$(MAKE) --no-print-directory san-test

tsan: deps
	@$(MAKE) --no-print-directory tsan-test

test: $(BIN) $(UNIT) $(O)/tests/golden $(REPLAY)
	@O=$(O) SANITIZING=$(SANITIZING) sh tests/run $(UNIT)

san-test:
	@echo "== the same suites under AddressSanitizer and UBSan"
	@LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	$(MAKE) --no-print-directory O=out/san WERROR=1 SANITIZING=1 \
	    CFLAGS='-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all' \
	    LDFLAGS='-fsanitize=address,undefined' test

tsan-test:
	@echo "== the threaded builds under ThreadSanitizer"
	@$(MAKE) --no-print-directory O=out/tsan WERROR=1 \
	    CFLAGS='-O1 -g -fsanitize=thread' LDFLAGS='-fsanitize=thread' \
	    out/tsan/octavo out/tsan/tests/test_threads
	@TSAN_OPTIONS="suppressions=$(CURDIR)/tests/tsan.supp halt_on_error=0 exitcode=66" \
	    G_SLICE=always-malloc sh tests/threads/tsan out/tsan

# libFuzzer targets (clang): each runs FUZZ_SECONDS on its corpus, seeded
# from tests/fuzz/corpus/TARGET; new inputs stay in out/fuzz/corpus.
fuzz:
	@command -v clang >/dev/null || $(SUDO) apt-get install -y -qq clang
	$(MAKE) O=out/fuzz CC=clang \
	    CFLAGS='$(FUZZ_SAN) -fsanitize=fuzzer-no-link' out/fuzz/liboctavo.a
	@for t in $(FUZZ); do \
	    clang $(FUZZ_SAN) -fsanitize=fuzzer -std=c11 \
	        -D_POSIX_C_SOURCE=200809L -iquote src \
	        $$($(PKG_CONFIG) --cflags $(DEPS)) -o out/fuzz/fuzz_$$t \
	        tests/fuzz/fuzz_$$t.c out/fuzz/liboctavo.a $(OC_LIBS) || exit 1; \
	    mkdir -p out/fuzz/corpus/$$t; \
	    echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	    LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	    OCTAVO_DATA_DIR=. out/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) \
	        -print_final_stats=1 -rss_limit_mb=4096 \
	        out/fuzz/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

# EPUB against pandoc and PDF against Typst, one XeLaTeX pass and
# WeasyPrint on a synthetic 200,000-word book; the same book with 100
# figures; the PDF's time and memory at 4x and 16x the words (bench/run).
bench: $(BIN)
	sh bench/run $(BIN)

# The binary carries its styles (src/data.h); the copies under DATADIR
# are for books that start from them.
install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/styles \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) \
	    $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/octavo
	install -m 644 styles/*.css $(DESTDIR)$(DATADIR)/styles/
	install -m 644 doc/octavo.1 $(DESTDIR)$(MANDIR)/man1/octavo.1
	install -m 644 completions/octavo.bash $(DESTDIR)$(BASHCOMPDIR)/octavo
	install -m 644 completions/_octavo $(DESTDIR)$(ZSHCOMPDIR)/_octavo

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/octavo $(DESTDIR)$(MANDIR)/man1/octavo.1 \
	    $(DESTDIR)$(BASHCOMPDIR)/octavo $(DESTDIR)$(ZSHCOMPDIR)/_octavo
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf out/build out/san out/tsan out/fuzz out/tests out/bench \
	    out/*.epub out/*.pdf

-include $(OBJ:.o=.d) $(CLI_OBJ:.o=.d)
