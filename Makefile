# fixnn: the two commands a newcomer needs, each doing all setup on a fresh Debian bookworm
# machine:  `make demo` (the main job on a bundled example) and `make test` (every test tier).
JOBS ?= $(shell nproc)
FIXNN := build/release/tools/fixnn/fixnn

.PHONY: all setup build build-fixnn demo test test-interop test-unit test-asan bench format clean

all: build

setup:
	@scripts/setup.sh

build: setup
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

# The demo needs only the fixnn command, not the test programs.
build-fixnn: setup
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target fixnn

demo: build-fixnn
	@echo "== fixnn type: what a fixed-point type can hold"
	@$(FIXNN) type 'ap_fixed<16,6,AP_RND_CONV,AP_SAT>'
	@echo
	@echo "== fixnn quantize: the same values in four types, bit-exact (examples/fixed/values.csv)"
	@$(FIXNN) quantize -t 'ap_fixed<8,4>' -t 'ap_fixed<8,4,AP_RND_CONV,AP_SAT>' \
	    -t 'fixed<8,4,RND,SAT_SYM>' -t 'ap_ufixed<6,3>' --input examples/fixed/values.csv
	@echo
	@echo "== fixnn show: the bundled QKeras jet tagger (16-64-32-32-5) read into fixnn's graph, with its quantizers"
	@$(FIXNN) show examples/models/qkeras_jet_mlp/model.h5
	@echo
	@echo "== fixnn config: its hls4ml-style configuration, types taken from the quantizers"
	@$(FIXNN) config examples/models/qkeras_jet_mlp/model.h5 --granularity name
	@echo
	@echo "== fixnn predict: what the chip computes for 500 jets, bit-exact, and what saturated"
	@mkdir -p build/demo
	@$(FIXNN) predict examples/models/qkeras_jet_mlp/model.h5 \
	    -i examples/models/qkeras_jet_mlp/input.npy -o build/demo/jet_outputs.npy --force --overflow
	@echo "outputs written to build/demo/jet_outputs.npy"
	@echo
	@echo "== fixnn profile: each layer's values against its type's range"
	@$(FIXNN) profile examples/models/qkeras_jet_mlp/model.h5 -d examples/models/qkeras_jet_mlp/input.npy
	@echo
	@echo "== fixnn report: resource and latency estimates; float against fixed point on the data"
	@echo "   (500 held-out jets of the bundled example, examples/models/README.md)"
	@$(FIXNN) report examples/models/qkeras_jet_mlp/model.h5 -d examples/models/qkeras_jet_mlp/input.npy \
	    --labels examples/models/qkeras_jet_mlp/labels.npy
	@echo
	@echo "== the same for the float Keras jet tagger: fixnn's choices keep its accuracy, hls4ml's lose it"
	@echo "   (docs/differences.md, 'The stable softmax's table index')"
	@printf 'fixnn:                 '; $(FIXNN) report examples/models/jet_mlp/model.keras \
	    -d examples/models/jet_mlp/input.npy --labels examples/models/jet_mlp/labels.npy | grep Accuracy
	@printf 'hls4ml-compatible:     '; $(FIXNN) report examples/models/jet_mlp/model.keras \
	    -d examples/models/jet_mlp/input.npy --labels examples/models/jet_mlp/labels.npy \
	    --hls4ml-compatible | grep Accuracy
	@echo
	@echo "== fixnn report --html: the same as one page (graph, layers, estimates, distributions, ROC)"
	@$(FIXNN) report examples/models/qkeras_jet_mlp/model.h5 -d examples/models/qkeras_jet_mlp/input.npy \
	    --labels examples/models/qkeras_jet_mlp/labels.npy --html build/demo/jet_report.html --force >/dev/null
	@echo
	@echo "== fixnn convert: the Vitis/Vivado HLS project, built with g++ and checked against the emulator"
	@$(FIXNN) convert examples/models/qkeras_jet_mlp/model.h5 -o build/demo/jet_prj --force \
	    --part xcvu13p-flga2577-2-e --clock 5 --tb-input examples/models/qkeras_jet_mlp/input.npy --check
	@echo "HLS project in build/demo/jet_prj (fixnn build build/demo/jet_prj runs Vitis HLS on it)"

# Every tier: unit, e2e, interop (vendor headers, Python packages), corpus (../shared/models),
# except the full emulator-versus-hls4ml matrix (make test-interop).
test: build
	@ctest --preset release -j $(JOBS) -LE interop-matrix

# The emulator against hls4ml's predict on every model and configuration (hours with a cold
# cache in ~/.cache/fixnn/interop, minutes with a warm one).
test-interop: build
	@ctest --preset release -L interop-matrix --output-on-failure

test-unit: build
	@ctest --preset release -j $(JOBS) -L unit

# Unit tests under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: setup
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	@ctest --preset asan -j $(JOBS)

bench: build
	@build/release/bench/quantize_bench --benchmark_min_time=0.2

format:
	@git ls-files '*.h' '*.cc' ':!tests/data' ':!src/backends/hls/templates' | xargs clang-format -i

clean:
	@rm -rf build
