# keygate in a container: a static binary on distroless/static, run as a
# non-root user. keygate reads git objects itself (go-git and its own pack
# reader), so the image needs no git.
#
#   docker build -t keygate --build-arg VERSION=1.2.3 .
#   docker run --rm -v "$PWD:/src" keygate scan --include-logs
#
# The work tree mounted at /src must be readable by uid 65532 (and, for the
# report, writable), or run with --user "$(id -u):$(id -g)".

ARG GO_VERSION=1.26

FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /build
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=0.0.0-dev
ARG COMMIT=""
ARG DATE=""
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false \
      -ldflags "-s -w \
        -X github.com/keygate/keygate/internal/version.version=${VERSION} \
        -X github.com/keygate/keygate/internal/version.commit=${COMMIT} \
        -X github.com/keygate/keygate/internal/version.date=${DATE}" \
      -o /out/keygate ./cmd/keygate

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/keygate /usr/local/bin/keygate
# Mount the repository here; keygate finds its root (.git) from the working
# directory, as it does anywhere else.
WORKDIR /src
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/keygate"]
CMD ["--help"]
