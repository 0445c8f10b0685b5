# tokensim: plain Makefile. `make run` and `make test` are all a newcomer
# needs; both install missing Debian packages first (make deps).

VERSION := 0.1.0
PREFIX ?= /usr/local
DESTDIR ?=

CC ?= cc
PKGS := gsl yaml-0.1 libcjson xlsxwriter
DEB_PKGS := build-essential pkg-config libgsl-dev libyaml-dev libcjson-dev libxlsxwriter-dev libcmocka-dev \
            gnuplot-nox jq
# only the tests need these: a browser to render the HTML report, a
# spreadsheet to recompute the exercise's formulas, zip tools to strip the
# values the spreadsheet caches
TEST_DEB_PKGS := chromium gnumeric zip unzip

OPT ?= -O2
WARN := -Wall -Wextra -Wshadow -Wno-format-truncation -Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes
BASE_CFLAGS = -std=c17 -D_GNU_SOURCE -I. -DTS_VERSION='"$(VERSION)"' $(WARN) -g -fopenmp -MMD -MP \
              $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
CFLAGS ?=

# One tree per flavour: release (bin/tokensim) and sanitised (build/asan).
SAN_FLAGS := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

# The rooms of the program, lowest first: each may include only the rooms
# below it (tests/rooms.sh checks). The CLI is not part of the library.
ROOMS := sim/core models sim/scenario sim/engine sim/output plots sim/analysis
LIB_SRC := $(foreach r,$(ROOMS),$(sort $(wildcard $(r)/*.c))) build/gen/plot_templates.c build/gen/catalogs.c
CLI_SRC := $(sort $(wildcard sim/cli/*.c))
UNIT_TESTS := test_eventq test_usage test_cost test_scenario test_engine test_rng test_randist test_plots test_exercise test_plans test_interval

REL := build/rel
ASAN := build/asan
REL_LIB_OBJ := $(LIB_SRC:%.c=$(REL)/%.o)
ASAN_LIB_OBJ := $(LIB_SRC:%.c=$(ASAN)/%.o)
REL_CLI_OBJ := $(CLI_SRC:%.c=$(REL)/%.o)
ASAN_CLI_OBJ := $(CLI_SRC:%.c=$(ASAN)/%.o)


# A fast loop for developers: build, unit tests, the rooms, a smoke run.
check: bin/tokensim $(UNIT_TESTS:%=$(REL)/tests/%)
	@for t in $(UNIT_TESTS:%=$(REL)/tests/%); do TS_QUICK=1 $$t >/dev/null || { echo "check: $$t failed" >&2; exit 1; }; done
	@bash tests/rooms.sh
	@./bin/tokensim run scenarios/default.yaml --replications 4 --no-plots --out build/check >/dev/null
	@echo 'check: 1 passed, 0 failed'

# Outputs byte-identical to those of BASE (a git ref, default HEAD).
BASE ?= HEAD
identical: bin/tokensim
	@bash tests/identical.sh bin/tokensim $(BASE)

.PHONY: all check identical coverage coverage-quick deps test-deps install-debs run test unit e2e sanitize bench fuzz install uninstall clean docs docs-check

all: bin/tokensim

# `make V=1` shows the full commands.
Q := $(if $(V),,@)

$(REL)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(BASE_CFLAGS) $(OPT) $(CFLAGS) -c $< -o $@

$(ASAN)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC asan $<")
	$(Q)$(CC) $(BASE_CFLAGS) $(SAN_FLAGS) $(CFLAGS) -c $< -o $@

bin/tokensim: $(REL_LIB_OBJ) $(REL_CLI_OBJ)
	@mkdir -p bin
	@$(if $(V),,echo "  LD      $@")
	$(Q)$(CC) $(BASE_CFLAGS) $(OPT) $(CFLAGS) $^ -o $@ $(LDLIBS)

$(ASAN)/tokensim: $(ASAN_LIB_OBJ) $(ASAN_CLI_OBJ)
	@$(if $(V),,echo "  LD asan $@")
	$(Q)$(CC) $(BASE_CFLAGS) $(SAN_FLAGS) $(CFLAGS) $^ -o $@ $(LDLIBS)

$(REL)/tests/%: $(REL)/tests/unit/%.o $(REL_LIB_OBJ)
	@$(if $(V),,echo "  LD      $@")
	$(Q)$(CC) $(BASE_CFLAGS) $(OPT) $(CFLAGS) $^ -o $@ $(LDLIBS) -lcmocka

$(ASAN)/tests/%: $(ASAN)/tests/unit/%.o $(ASAN_LIB_OBJ)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LD asan $@")
	$(Q)$(CC) $(BASE_CFLAGS) $(SAN_FLAGS) $(CFLAGS) $^ -o $@ $(LDLIBS) -lcmocka

# The coverage harness (tests/coverage): minutes, so not part of `make test`,
# which runs its quick version (tests/coverage/quick.sh).
$(REL)/bin/coverage: $(REL)/tests/coverage/coverage.o $(REL_LIB_OBJ)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LD      $@")
	$(Q)$(CC) $(BASE_CFLAGS) $(OPT) $(CFLAGS) $^ -o $@ $(LDLIBS)

coverage: $(REL)/bin/coverage
	@nice bash tests/coverage/run.sh $(REL)/bin/coverage $(COVERAGE_SEEDS) $(COVERAGE_ARGS)

build/gen/catalogs.c: models/catalog/embed.sh $(wildcard models/catalog/*.yaml)
	@mkdir -p build/gen
	$(Q)sh models/catalog/embed.sh $(sort $(wildcard models/catalog/*.yaml)) > $@.tmp && mv $@.tmp $@

build/gen/plot_templates.c: plots/embed.sh $(wildcard plots/*.gp)
	@mkdir -p $(dir $@)
	$(Q)sh plots/embed.sh $(wildcard plots/*.gp) > $@.tmp && mv $@.tmp $@

# Installs the Debian packages the project needs, only those missing.
deps:
	@$(MAKE) --no-print-directory install-debs PKGS_WANTED="$(DEB_PKGS)"

test-deps:
	@$(MAKE) --no-print-directory install-debs PKGS_WANTED="$(DEB_PKGS) $(TEST_DEB_PKGS)"

install-debs:
	@missing=""; for p in $(PKGS_WANTED); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  SUDO=; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null \
	    || { echo "make deps: could not install$$missing" >&2; exit 1; }; \
	fi

run: deps
	@$(MAKE) --no-print-directory bin/tokensim
	./bin/tokensim run scenarios/default.yaml --out out/default

unit: $(UNIT_TESTS:%=$(REL)/tests/%)
	@for t in $^; do $$t || exit 1; done

e2e: bin/tokensim
	@bash tests/e2e/run.sh bin/tokensim
	@bash tests/e2e/exercise.sh bin/tokensim
	@bash tests/e2e/analysis.sh bin/tokensim
	@bash tests/e2e/levers.sh bin/tokensim
	@bash tests/e2e/intervals.sh bin/tokensim

sanitize: $(ASAN)/tokensim $(UNIT_TESTS:%=$(ASAN)/tests/%)
	@for t in $(UNIT_TESTS:%=$(ASAN)/tests/%); do TS_QUICK=1 $$t || exit 1; done
	@TS_QUICK=1 bash tests/e2e/run.sh $(ASAN)/tokensim
	@bash tests/e2e/exercise.sh $(ASAN)/tokensim
	@TS_QUICK=1 bash tests/e2e/analysis.sh $(ASAN)/tokensim
	@bash tests/e2e/levers.sh $(ASAN)/tokensim
	@bash tests/e2e/intervals.sh $(ASAN)/tokensim

test: test-deps
	@bash tests/rooms.sh
	@$(MAKE) --no-print-directory unit e2e sanitize docs-check coverage-quick

# The fixed-seed coverage check (tests/coverage/quick.sh, a few seconds).
coverage-quick: $(REL)/bin/coverage
	@bash tests/coverage/quick.sh $(REL)/bin/coverage

# Regenerates the key reference in docs/scenarios.md from the program.
docs: bin/tokensim
	@{ sed -n '1,/<!-- keys:begin -->/p' docs/scenarios.md; ./bin/tokensim keys; echo '<!-- keys:end -->'; } > docs/scenarios.md.tmp
	@mv docs/scenarios.md.tmp docs/scenarios.md

docs-check: bin/tokensim
	@bash tests/e2e/docs_check.sh bin/tokensim

bench: deps
	@$(MAKE) --no-print-directory bin/tokensim
	@bash bench/run.sh bin/tokensim

# Fuzzes the scenario loader with clang's libFuzzer (not part of `make test`).
FUZZ_SECONDS ?= 60
fuzz: deps
	@mkdir -p build/fuzz build/fuzz/corpus
	clang -std=c17 -D_GNU_SOURCE -I. -g -O1 -fsanitize=fuzzer,address,undefined $(shell pkg-config --cflags $(PKGS)) \
	  tests/fuzz/fuzz_scenario.c $(LIB_SRC) -fopenmp -o build/fuzz/fuzz_scenario $(LDLIBS)
	cp scenarios/*.yaml scenarios/textbook/*.yaml scenarios/stress/*.yaml tests/data/ok/*.yaml tests/data/bad/*.yaml \
	  build/fuzz/corpus/
	build/fuzz/fuzz_scenario -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=5 build/fuzz/corpus

install: bin/tokensim
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/tokensim/scenarios/textbook \
	  $(DESTDIR)$(PREFIX)/share/tokensim/scenarios/cases $(DESTDIR)$(PREFIX)/share/tokensim/scenarios/stress \
	  $(DESTDIR)$(PREFIX)/share/doc/tokensim
	install -m 755 bin/tokensim $(DESTDIR)$(PREFIX)/bin/tokensim
	install -m 644 scenarios/*.yaml $(DESTDIR)$(PREFIX)/share/tokensim/scenarios/
	install -m 644 scenarios/textbook/*.yaml $(DESTDIR)$(PREFIX)/share/tokensim/scenarios/textbook/
	install -m 644 scenarios/cases/*.yaml $(DESTDIR)$(PREFIX)/share/tokensim/scenarios/cases/
	install -m 644 scenarios/stress/*.yaml $(DESTDIR)$(PREFIX)/share/tokensim/scenarios/stress/
	install -m 644 README.md docs/*.md $(DESTDIR)$(PREFIX)/share/doc/tokensim/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/tokensim
	rm -rf $(DESTDIR)$(PREFIX)/share/tokensim $(DESTDIR)$(PREFIX)/share/doc/tokensim

clean:
	rm -rf build bin

.SECONDARY:
-include $(shell find build -name '*.d' 2>/dev/null)
