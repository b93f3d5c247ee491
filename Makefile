.PHONY: run test install
run:        ## install, load the example articles, serve on http://127.0.0.1:8000/
	scripts/run.sh
test:       ## install what the tests need and run them
	scripts/test.sh
install:
	scripts/bootstrap.sh
