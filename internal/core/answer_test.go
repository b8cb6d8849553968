package core_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/coolset-go/sdk/internal/apierror"
	"github.com/coolset-go/sdk/internal/core"
)

// TestAnswersThatAreNotAValueAreErrors drives success answers that hold no
// value of the expected type through the real transport: each must be an
// error naming the call, never a zero value with a nil error.
func TestAnswersThatAreNotAValueAreErrors(t *testing.T) {
	cases := []struct {
		name, body string
		status     int
		wantErr    string // "" when the answer must decode
	}{
		{"object", ` {"name":"x"} ` + "\n", 200, ""},
		{"null", "null", 200, "null where a value was expected"},
		{"null after white space", " \n\tnull\n", 200, "null where a value was expected"},
		{"no content", "", 204, "204 No Content"},
		{"empty body", "", 200, "unexpected EOF"},
		{"text after the value", `{"name":"x"} {"name":"y"}`, 200, "data after its JSON value"},
		{"garbage after the value", `{"name":"x"}garbage`, 200, "data after its JSON value"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			}))
			defer srv.Close()
			c := newTestCore(t, srv)
			var out struct{ Name string }
			_, err := c.Do(context.Background(), &core.Request{Method: "GET", Path: "thing/"}, &out, nil)
			if tc.wantErr == "" {
				if err != nil || out.Name != "x" {
					t.Fatalf("out = %+v, err = %v", out, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "GET /api/thing/") {
				t.Fatalf("err = %v, want one naming the call and %q", err, tc.wantErr)
			}
		})
	}
}

// TestNoContentWithoutAValueIsSuccess: a call that expects nothing (a DELETE)
// takes 204 as success.
func TestNoContentWithoutAValueIsSuccess(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	c := newTestCore(t, srv)
	res, err := c.Do(context.Background(), &core.Request{Method: "DELETE", Path: "thing/"}, nil, nil)
	if err != nil || res.StatusCode != 204 {
		t.Fatalf("res = %+v, err = %v", res, err)
	}
}

// TestAConnectionCutAfterACompleteValueKeepsTheValue: the server declares a
// longer body than it sends, but the JSON value is whole. The value stands; for
// a POST, failing would invite a retry of an act already done.
func TestAConnectionCutAfterACompleteValueKeepsTheValue(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", "40")
		_, _ = io.WriteString(w, `{"name":"x"}`) // 12 bytes, then the handler ends
	}))
	defer srv.Close()
	c := newTestCore(t, srv)
	for _, method := range []string{"GET", "POST"} {
		var out struct{ Name string }
		if _, err := c.Do(context.Background(), &core.Request{Method: method, Path: "thing/"}, &out, nil); err != nil || out.Name != "x" {
			t.Errorf("%s: out = %+v, err = %v", method, out, err)
		}
	}
}

// TestAnUnreadableSuccessOfAPostSaysTheServerMayHaveActed: the caller must
// not take the error for "nothing happened".
func TestAnUnreadableSuccessOfAPostSaysTheServerMayHaveActed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	c := newTestCore(t, srv)
	var out struct{ Name string }
	_, err := c.Do(context.Background(), &core.Request{Method: "POST", Path: "thing/"}, &out, nil)
	if err == nil || !strings.Contains(err.Error(), "may have acted") {
		t.Errorf("POST: err = %v", err)
	}
	_, err = c.Do(context.Background(), &core.Request{Method: "GET", Path: "thing/"}, &out, nil)
	if err == nil || strings.Contains(err.Error(), "may have acted") {
		t.Errorf("GET: err = %v", err)
	}
}

// TestACloseDelimitedAnswerEndingMidValueWasCut: an HTTP/1.1 answer with
// neither Content-Length nor chunking ends when the server closes the
// connection, so a connection cut mid-answer arrives as a clean end. A value
// left unfinished, or never begun, shows the cut: a GET is asked again, and a
// POST fails saying the answer was cut and the server may have acted. A
// complete value, or a body that is not JSON, is read as before.
func TestACloseDelimitedAnswerEndingMidValueWasCut(t *testing.T) {
	const whole = `{"name":"x"}`
	cases := []struct {
		name, first string // the body of the first answer, then the connection closes
		method      string
		requests    int
		wantErr     string // "" when the call must succeed with whole's value
	}{
		{"GET, value cut", `{"na`, "GET", 2, ""},
		{"GET, cut before the value", "", "GET", 2, ""},
		{"GET, cut in white space before the value", "\n  ", "GET", 2, ""},
		{"POST, value cut", `{"na`, "POST", 1, "cut short (the server answered success: it may have acted"},
		{"GET, whole value", whole, "GET", 1, ""},
		{"GET, not JSON", "<html>", "GET", 1, "decoding the answer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, requests := closeDelimitedServer(t, "200 OK", "application/json", tc.first, whole)
			c := newTestCore(t, srv)
			var out struct{ Name string }
			_, err := c.Do(context.Background(), &core.Request{Method: tc.method, Path: "thing/"}, &out, nil)
			if tc.wantErr == "" && (err != nil || out.Name != "x") {
				t.Errorf("out = %+v, err = %v; want the whole value", out, err)
			}
			if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("err = %v, want one containing %q", err, tc.wantErr)
			}
			if n := requests.Load(); n != int32(tc.requests) {
				t.Errorf("%d requests, want %d", n, tc.requests)
			}
		})
	}
}

// TestACloseDelimitedRefusalEndingMidValueWasCut: a refusal's explanation
// delimited by the connection's close, declared JSON and left unfinished, was
// cut: the call is asked again (the server did nothing) and the caller gets
// the whole message, as for a refusal whose declared length was not reached.
// An explanation that is whole, or not declared JSON, is final at once.
func TestACloseDelimitedRefusalEndingMidValueWasCut(t *testing.T) {
	const whole = `{"detail":"already pending"}`
	cases := []struct {
		name, contentType, first string
		requests                 int
	}{
		{"JSON cut", "application/json", `{"detail":"alre`, 2},
		{"problem+json cut", "application/problem+json; charset=utf-8", `{"detail":"alre`, 2},
		{"JSON whole", "application/json", whole, 1},
		{"HTML", "text/html", "<html><body>Bad requ", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, requests := closeDelimitedServer(t, "400 Bad Request", tc.contentType, tc.first, whole)
			c := newTestCore(t, srv)
			_, err := c.Do(context.Background(), &core.Request{Method: "POST", Path: "thing/"}, nil, nil)
			var e *apierror.Error
			if !errors.As(err, &e) || e.StatusCode != 400 {
				t.Fatalf("err = %v, want the 400", err)
			}
			if n := requests.Load(); n != int32(tc.requests) {
				t.Errorf("%d requests, want %d", n, tc.requests)
			}
			if tc.requests == 2 && e.Detail != "already pending" {
				t.Errorf("detail %q, want the whole message", e.Detail)
			}
		})
	}
}

// TestAGzipAnswerIsNotTakenForCloseDelimited: net/http decompresses a gzip
// answer and drops its length, but gzip's trailer tells a cut stream: a whole
// stream holding unfinished JSON is a final decoding error, asked once; a
// stream cut in the middle is a cut, asked again.
func TestAGzipAnswerIsNotTakenForCloseDelimited(t *testing.T) {
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	_, _ = zw.Write([]byte(`{"name":"x`)) // unfinished JSON, in a whole gzip stream
	_ = zw.Close()
	whole := zipped.Bytes()
	for _, tc := range []struct {
		name     string
		first    []byte
		requests int
		wantErr  string
	}{
		{"whole stream, unfinished JSON", whole, 1, "decoding the answer"},
		{"stream cut", whole[:len(whole)/2], 4, "cut short"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var requests atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				requests.Add(1)
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Encoding", "gzip")
				w.Header().Set("Content-Length", strconv.Itoa(len(tc.first)))
				_, _ = w.Write(tc.first)
			}))
			defer srv.Close()
			c := newTestCore(t, srv)
			var out struct{ Name string }
			_, err := c.Do(context.Background(), &core.Request{Method: "GET", Path: "thing/"}, &out, nil)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("err = %v, want one containing %q", err, tc.wantErr)
			}
			if n := requests.Load(); n != int32(tc.requests) {
				t.Errorf("%d requests, want %d", n, tc.requests)
			}
		})
	}
}

// closeDelimitedServer answers every request with status, a body of the
// content type that only closing the connection ends, first the first time
// and whole after; it counts the requests.
func closeDelimitedServer(t *testing.T, status, contentType, first, whole string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		body := whole
		if requests.Add(1) == 1 {
			body = first
		}
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		_, _ = buf.WriteString("HTTP/1.1 " + status + "\r\nContent-Type: " + contentType + "\r\nConnection: close\r\n\r\n" + body)
		_ = buf.Flush()
	}))
	t.Cleanup(srv.Close)
	return srv, &requests
}
