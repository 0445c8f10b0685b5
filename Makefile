# tokensim: plain Makefile. `make run` and `make test` are all a newcomer
# needs; both install missing Debian packages first (make deps).

VERSION := 0.1.0
PREFIX ?= /usr/local
DESTDIR ?=
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include

CC ?= cc
PKGS := gsl yaml-0.1 libcjson xlsxwriter zlib libzstd libpq sqlite3
DEB_PKGS := build-essential pkg-config libgsl-dev libyaml-dev libcjson-dev libxlsxwriter-dev libcmocka-dev \
            gnuplot-nox jq libcsv-dev zlib1g-dev libzstd-dev libpq-dev libsqlite3-dev libopenmpi-dev openmpi-bin
# only the tests need these: a browser to render the HTML report, a
# spreadsheet to recompute the exercise's formulas, zip tools to strip the
# values the spreadsheet caches; man and groff to check the man page, zsh
# to try its completion; python3-jsonschema to validate every JSON output
# against docs/schemas/
TEST_DEB_PKGS := chromium gnumeric zip unzip time clang libclang-rt-dev libomp-dev postgresql zstd man-db groff-base \
                 zsh python3-jsonschema

OPT ?= -O2
# -Wconversion finds narrowing that loses value (double to int, size_t to
# double); -Wsign-conversion, which it implies, is mostly noise in counting
# loops and stays off. `make WERROR=` builds on a compiler that warns more.
WERROR ?= -Werror
WARN := -Wall -Wextra -Wshadow -Wconversion -Wno-sign-conversion -Wformat-truncation -Wpointer-arith \
        -Wstrict-prototypes -Wmissing-prototypes $(WERROR)
BASE_CFLAGS = -std=c17 -D_GNU_SOURCE -I. -DTS_VERSION='"$(VERSION)"' $(WARN) -g -fopenmp -MMD -MP \
              $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm
CFLAGS ?=

# One tree per flavour: release (bin/tokensim) and sanitised (build/asan).
SAN_FLAGS := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

# The rooms of the program, lowest first: each may include only the rooms
# below it (tests/rooms.sh checks). The CLI is not part of the library,
# lib/libtokensim.a, whose public API (include/tokensim.h) sim/api implements.
ROOMS := sim/core models sim/scenario sim/data sim/engine sim/output plots sim/analysis sim/api
LIB := lib/libtokensim.a
LIB_SRC := $(foreach r,$(ROOMS),$(sort $(wildcard $(r)/*.c))) build/gen/plot_templates.c build/gen/catalogs.c
CLI_SRC := $(sort $(wildcard sim/cli/*.c))
UNIT_TESTS := test_eventq test_usage test_cost test_scenario test_engine test_rng test_randist test_plots test_exercise test_plans \
              test_api test_output test_plan_extra test_plan_words test_extend test_ytree test_fit test_outset test_interval test_empirical
UNIT_TESTS += test_dist test_corr test_sobol
UNIT_TESTS += test_ranks test_finance test_demand test_shock
UNIT_TESTS += test_wtp_survey test_token_spread

REL := build/rel
ASAN := build/asan
REL_LIB_OBJ := $(LIB_SRC:%.c=$(REL)/%.o)
ASAN_LIB_OBJ := $(LIB_SRC:%.c=$(ASAN)/%.o)
REL_CLI_OBJ := $(CLI_SRC:%.c=$(REL)/%.o)
ASAN_CLI_OBJ := $(CLI_SRC:%.c=$(ASAN)/%.o)


# A fast loop for developers: build, unit tests, the rooms, a smoke run.
check: bin/tokensim $(UNIT_TESTS:%=$(REL)/tests/%)
	@for t in $(UNIT_TESTS:%=$(REL)/tests/%); do TS_QUICK=1 $$t >/dev/null || { echo "check: $$t failed" >&2; exit 1; }; done
	@bash tests/rooms.sh --self-test
	@./bin/tokensim run scenarios/default.yaml --replications 4 --no-plots --out build/check >/dev/null
	@echo 'check: 1 passed, 0 failed'

# Outputs byte-identical to those of BASE (a git ref, default HEAD).
BASE ?= HEAD
identical: bin/tokensim
	@bash tests/identical.sh bin/tokensim $(BASE)

.PHONY: all check identical coverage coverage-quick deps test-deps install-debs run test unit e2e sanitize fault bench fuzz fuzz-smoke install uninstall clean docs docs-check

all: bin/tokensim $(LIB)

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

# The library: every room but the CLI, which links it like any other program.
$(LIB): $(REL_LIB_OBJ)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  AR      $@")
	$(Q)rm -f $@ && $(AR) rcs $@ $^

bin/tokensim: $(REL_CLI_OBJ) $(LIB)
	@mkdir -p bin
	@$(if $(V),,echo "  LD      $@")
	$(Q)$(CC) $(BASE_CFLAGS) $(OPT) $(CFLAGS) $(REL_CLI_OBJ) $(LIB) -o $@ $(LDLIBS)

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

# bin/tokensim-mpi: the same objects but sim/engine/ranks.c, built with
# TS_MPI against OpenMPI (sim/engine/ranks.h); `mpirun -np N` spreads the
# replications over N processes. MPI's headers count as system headers.
MPI_CFLAGS = $(patsubst -I%,-isystem %,$(shell mpicc --showme:compile 2>/dev/null))
MPI_LIBS = $(shell mpicc --showme:link 2>/dev/null)
build/mpi/ranks.o: sim/engine/ranks.c
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC mpi  $<")
	$(Q)$(CC) $(BASE_CFLAGS) $(OPT) $(CFLAGS) -DTS_MPI $(MPI_CFLAGS) -c $< -o $@

bin/tokensim-mpi: $(REL_CLI_OBJ) $(filter-out $(REL)/sim/engine/ranks.o,$(REL_LIB_OBJ)) build/mpi/ranks.o
	@mkdir -p bin
	@$(if $(V),,echo "  LD      $@")
	$(Q)$(CC) $(BASE_CFLAGS) $(OPT) $(CFLAGS) $^ -o $@ $(LDLIBS) $(MPI_LIBS)

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

e2e: bin/tokensim $(LIB)
	@bash tests/e2e/run.sh bin/tokensim
	@bash tests/e2e/exercise.sh bin/tokensim
	@bash tests/e2e/analysis.sh bin/tokensim
	@bash tests/e2e/levers.sh bin/tokensim
	@bash tests/e2e/library.sh bin/tokensim
	@bash tests/e2e/quoting.sh bin/tokensim
	@bash tests/e2e/hardening.sh bin/tokensim
	@bash tests/e2e/data.sh bin/tokensim
	@bash tests/e2e/reliability.sh bin/tokensim
	@bash tests/e2e/users.sh bin/tokensim
	@bash tests/e2e/intervals.sh bin/tokensim
	@bash tests/e2e/replay.sh bin/tokensim
	@bash tests/e2e/progress.sh bin/tokensim
	@bash tests/e2e/outputs.sh bin/tokensim
	@bash tests/e2e/uncertain.sh bin/tokensim
	@bash tests/e2e/cli.sh bin/tokensim
	@bash tests/e2e/finance.sh bin/tokensim
	@bash tests/e2e/shocks.sh bin/tokensim
	@bash tests/e2e/compare_files.sh bin/tokensim
	@bash tests/e2e/survey.sh bin/tokensim
	@bash tests/e2e/report_html.sh bin/tokensim
	@bash tests/e2e/demand.sh bin/tokensim
	@bash tests/e2e/schemas.sh bin/tokensim
	@bash tests/e2e/spread.sh bin/tokensim
	@bash tests/e2e/memo.sh bin/tokensim

sanitize: $(ASAN)/tokensim $(UNIT_TESTS:%=$(ASAN)/tests/%)
	@for t in $(UNIT_TESTS:%=$(ASAN)/tests/%); do TS_QUICK=1 $$t || exit 1; done
	@TS_QUICK=1 bash tests/e2e/run.sh $(ASAN)/tokensim
	@bash tests/e2e/exercise.sh $(ASAN)/tokensim
	@TS_QUICK=1 bash tests/e2e/analysis.sh $(ASAN)/tokensim
	@bash tests/e2e/levers.sh $(ASAN)/tokensim
	@bash tests/e2e/shocks.sh $(ASAN)/tokensim
	@bash tests/e2e/quoting.sh $(ASAN)/tokensim
	@bash tests/e2e/hardening.sh $(ASAN)/tokensim
	@bash tests/e2e/data.sh $(ASAN)/tokensim
	@bash tests/e2e/reliability.sh $(ASAN)/tokensim
	@bash tests/e2e/intervals.sh $(ASAN)/tokensim
	@bash tests/e2e/replay.sh $(ASAN)/tokensim
	@bash tests/e2e/uncertain.sh $(ASAN)/tokensim
	@bash tests/e2e/cli.sh $(ASAN)/tokensim
	@bash tests/e2e/finance.sh $(ASAN)/tokensim
	@bash tests/e2e/survey.sh $(ASAN)/tokensim
	@bash tests/e2e/report_html.sh $(ASAN)/tokensim
	@bash tests/e2e/spread.sh $(ASAN)/tokensim

test: test-deps
	@bash tests/rooms.sh --self-test
	@# two parts at a time (each script works in its own temporary folder);
	@# --output-sync keeps each part's lines together
	@$(MAKE) --no-print-directory -j2 --output-sync=target unit e2e sanitize fault docs-check fuzz-smoke coverage-quick
	@if command -v mpirun >/dev/null; then $(MAKE) --no-print-directory e2e-mpi; fi

# Fault injection: every write and the output phase's allocations of a small
# run fail in turn (tests/fault/shim.c by LD_PRELOAD, the release build).
fault: bin/tokensim
	@bash tests/fault/run.sh bin/tokensim

# The fixed-seed coverage check (tests/coverage/quick.sh, a few seconds).
coverage-quick: $(REL)/bin/coverage
	@bash tests/coverage/quick.sh $(REL)/bin/coverage

# The MPI build against the threaded one (tests/e2e/mpi.sh); needs mpirun.
.PHONY: e2e-mpi
e2e-mpi: bin/tokensim bin/tokensim-mpi
	@bash tests/e2e/mpi.sh bin/tokensim bin/tokensim-mpi

# Regenerates the key reference in docs/scenarios.md from the program.
docs: bin/tokensim
	@{ sed -n '1,/<!-- keys:begin -->/p' docs/scenarios.md; ./bin/tokensim keys; echo '<!-- keys:end -->'; } > docs/scenarios.md.tmp
	@mv docs/scenarios.md.tmp docs/scenarios.md

docs-check: bin/tokensim
	@bash tests/e2e/docs_check.sh bin/tokensim

bench: deps
	@$(MAKE) --no-print-directory bin/tokensim bin/bench-reference
	@$(MAKE) --no-print-directory bin/tokensim-mpi 2>/dev/null || true
	@bash bench/run.sh bin/tokensim

# The plain C loop of the benchmark's model, the floor of bench/run.sh.
bin/bench-reference: bench/reference.c $(LIB)
	@mkdir -p bin
	$(Q)$(CC) $(BASE_CFLAGS) $(OPT) $(CFLAGS) $< $(LIB) -o $@ $(LDLIBS)

# libFuzzer harnesses (clang): the scenario loader, --set values and the
# JSON of `catalog import`, each with its seed corpus in tests/fuzz/. `make
# fuzz` runs each for FUZZ_SECONDS; `make fuzz-smoke` (in `make test`) runs
# each briefly from a fixed seed and replays tests/fuzz/crashes/.
FUZZ_SECONDS ?= 60
FUZZERS := scenario set catalog
FUZZ_CFLAGS = -std=c17 -D_GNU_SOURCE -I. -g -O1 -MMD -MP -w -fopenmp -fsanitize=address,undefined $(shell pkg-config --cflags $(PKGS))
build/fuzz/lib/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC fuzz $<")
	$(Q)clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@
build/fuzz/fuzz_%: build/fuzz/lib/tests/fuzz/fuzz_%.o $(LIB_SRC:%.c=build/fuzz/lib/%.o)
	$(Q)clang $(filter-out -MMD -MP,$(FUZZ_CFLAGS)) -fsanitize=fuzzer $^ -o $@ $(LDLIBS)
fuzz: test-deps
	@$(MAKE) --no-print-directory $(FUZZERS:%=build/fuzz/fuzz_%)
	@for f in $(FUZZERS); do FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz/run.sh build/fuzz $$f long || exit 1; done
fuzz-smoke: $(FUZZERS:%=build/fuzz/fuzz_%)
	@for f in $(FUZZERS); do bash tests/fuzz/run.sh build/fuzz $$f smoke || exit 1; done

# The program, the library with its header and pkg-config file, the man
# page, the bash and zsh completions, the scenarios and the docs, under
# DESTDIR/PREFIX; tokensim.pc names PREFIX.
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/vendor-completions
install: bin/tokensim $(LIB)
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 644 docs/tokensim.1 $(DESTDIR)$(MANDIR)/man1/tokensim.1
	install -m 644 completions/tokensim.bash $(DESTDIR)$(BASHCOMPDIR)/tokensim
	install -m 644 completions/_tokensim $(DESTDIR)$(ZSHCOMPDIR)/_tokensim
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/tokensim/scenarios/textbook \
	  $(DESTDIR)$(PREFIX)/share/tokensim/scenarios/cases $(DESTDIR)$(PREFIX)/share/tokensim/scenarios/stress \
	  $(DESTDIR)$(PREFIX)/share/doc/tokensim $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)
	install -m 755 bin/tokensim $(DESTDIR)$(PREFIX)/bin/tokensim
	install -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/libtokensim.a
	install -m 644 include/tokensim.h $(DESTDIR)$(INCLUDEDIR)/tokensim.h
	@mkdir -p build
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' \
	  -e 's|@VERSION@|$(VERSION)|g' tokensim.pc.in > build/tokensim.pc
	install -m 644 build/tokensim.pc $(DESTDIR)$(LIBDIR)/pkgconfig/tokensim.pc
	install -m 644 scenarios/*.yaml $(DESTDIR)$(PREFIX)/share/tokensim/scenarios/
	install -m 644 scenarios/textbook/*.yaml $(DESTDIR)$(PREFIX)/share/tokensim/scenarios/textbook/
	install -m 644 scenarios/cases/*.yaml $(DESTDIR)$(PREFIX)/share/tokensim/scenarios/cases/
	install -m 644 scenarios/stress/*.yaml $(DESTDIR)$(PREFIX)/share/tokensim/scenarios/stress/
	install -m 644 README.md docs/*.md $(DESTDIR)$(PREFIX)/share/doc/tokensim/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/tokensim $(DESTDIR)$(LIBDIR)/libtokensim.a $(DESTDIR)$(INCLUDEDIR)/tokensim.h \
	  $(DESTDIR)$(LIBDIR)/pkgconfig/tokensim.pc $(DESTDIR)$(MANDIR)/man1/tokensim.1 \
	  $(DESTDIR)$(BASHCOMPDIR)/tokensim $(DESTDIR)$(ZSHCOMPDIR)/_tokensim
	rm -rf $(DESTDIR)$(PREFIX)/share/tokensim $(DESTDIR)$(PREFIX)/share/doc/tokensim

clean:
	rm -rf build bin lib

.SECONDARY:
-include $(shell find build -name '*.d' 2>/dev/null)
