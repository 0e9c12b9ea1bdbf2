"""Development tools of moh-migrate: the synthetic v1 generator, the benchmark, the demo and the
local server set-up. Installed by `make` beside the product; `pip install .` does not ship them."""
