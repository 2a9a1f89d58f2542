# octavo - build an EPUB 3 and a print PDF from one book manuscript.
# `make` installs what is missing (deps), builds octavo and the default
# book; `make check` runs every test suite.

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share/octavo
PKG_CONFIG ?= pkg-config
DEPS       := libxml-2.0 libzip libcmark-gfm yaml-0.1 pangocairo pangoft2 \
              cairo-pdf cairo-png glib-2.0 fontconfig harfbuzz librsvg-2.0 \
              gdk-pixbuf-2.0 \
              libwebp libpng16
TEST_DEPS  := cmocka
NOPC_LIBS  ?= -lhyphen -lm
O          ?= out/build
BOOK       ?= assets/what-biden-and-putin-discussed/book.yaml
WARN       := -Wall -Wextra -Wshadow -Wstrict-prototypes $(if $(WERROR),-Werror)
OPT        ?= -O2 -g
OC_CFLAGS   = -std=c11 -D_POSIX_C_SOURCE=200809L $(OPT) $(WARN) -MMD -MP \
              -iquote src \
              -DOC_DATADIR='"$(DATADIR)"' \
              $(shell $(PKG_CONFIG) --cflags $(DEPS)) $(CFLAGS)
OC_LIBS     = $(shell $(PKG_CONFIG) --libs $(DEPS)) $(NOPC_LIBS) $(LDLIBS)
TEST_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(TEST_DEPS))
TEST_LIBS   = $(shell $(PKG_CONFIG) --libs $(TEST_DEPS))

# Debian 12 packages: to build, and to run the tests' validators.
DEB_BUILD  := gcc make pkg-config libxml2-dev libzip-dev libcmark-gfm-dev \
              libcmark-gfm-extensions-dev libyaml-dev libpango1.0-dev \
              libcairo2-dev libglib2.0-dev libfontconfig-dev \
              libharfbuzz-dev librsvg2-dev libgdk-pixbuf-2.0-dev libwebp-dev \
              libpng-dev \
              libhyphen-dev hyphen-en-us \
              hyphen-de fonts-ebgaramond fonts-dejavu-core fonts-noto-core \
              fonts-noto-cjk
DEB_TEST   := libcmocka-dev epubcheck default-jre-headless qpdf valgrind \
              poppler-utils mupdf-tools libxml2-utils unzip python3 pandoc \
              chromium $(if $(shell command -v npm),,nodejs npm)
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

SRC     := $(filter-out src/main.c,$(wildcard src/*.c))
OBJ     := $(SRC:src/%.c=$(O)/%.o)
BIN     := $(O)/octavo
UNIT    := $(patsubst tests/unit/%.c,$(O)/tests/%,$(wildcard tests/unit/test_*.c))
STEM    := $(notdir $(patsubst %/,%,$(dir $(BOOK))))
OUT_EPUB = out/$(if $(filter book index,$(basename $(notdir $(BOOK)))),$(STEM),$(basename $(notdir $(BOOK)))).epub
OUT_PDF  = $(OUT_EPUB:.epub=.pdf)

FUZZ_SECONDS ?= 60
FUZZ        := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SAN    := -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all

.PHONY: all epub pdf check test san-test tsan-test deps clean install \
        uninstall sanitize tsan bench fuzz
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

$(O)/liboctavo.a: $(OBJ)
	@$(AR) rcs $@ $^

$(BIN): $(O)/main.o $(O)/liboctavo.a
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

test: $(BIN) $(UNIT) $(O)/tests/golden
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
	    sh tests/threads/tsan out/tsan

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

# EPUB against pandoc and PDF against WeasyPrint on a synthetic 200,000-word
# book, and the PDF's growth on a 4x larger one (bench/run).
bench: $(BIN)
	sh bench/run $(BIN)

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/styles
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/octavo
	install -m 644 styles/*.css $(DESTDIR)$(DATADIR)/styles/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/octavo
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf out/build out/san out/tsan out/fuzz out/tests out/bench \
	    out/*.epub out/*.pdf

-include $(OBJ:.o=.d) $(O)/main.d
