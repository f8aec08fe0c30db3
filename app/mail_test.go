package app_test

// E-mail: a small SMTP server written here, on 127.0.0.1, receives what
// the outbox sends: once, with its headers and its UTF-8 body; a server
// that refuses for now (4xx) gets the message again after the backoff, one
// that refuses the recipient for good (5xx) not at all.

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"relais"
	"relais/app"
	"relais/events"
	"relais/internal/testdb"
	"relais/store"
)

// smtpMessage is one message the test server accepted.
type smtpMessage struct {
	from, to string
	data     string // as received, dots unstuffed, CRLF kept
}

// smtpServer speaks enough of RFC 5321 for net/smtp: greeting, EHLO/HELO,
// MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT. rcpt answers RCPT TO for
// the n-th RCPT it receives (from 1), e.g. "250 OK" or "451 try later".
type smtpServer struct {
	ln    net.Listener
	rcpt  func(n int) string
	mu    sync.Mutex
	conns int
	rcpts int
	got   []smtpMessage
	wg    sync.WaitGroup
}

func newSMTPServer(t *testing.T, rcpt func(n int) string) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln, rcpt: rcpt}
	s.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Go(func() { s.serve(c) })
		}
	})
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return s
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Minute))
	s.mu.Lock()
	s.conns++
	s.mu.Unlock()
	r := bufio.NewReader(c)
	say := func(line string) { io.WriteString(c, line+"\r\n") }
	say("220 test.local ESMTP ready")
	var from, to string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb := strings.ToUpper(line)
		switch {
		case strings.HasPrefix(verb, "EHLO "):
			say("250-test.local greets you")
			say("250 8BITMIME")
		case strings.HasPrefix(verb, "HELO "):
			say("250 test.local")
		case strings.HasPrefix(verb, "MAIL FROM:"):
			from, to = addrOf(line[len("MAIL FROM:"):]), ""
			say("250 OK")
		case strings.HasPrefix(verb, "RCPT TO:"):
			s.mu.Lock()
			s.rcpts++
			n := s.rcpts
			s.mu.Unlock()
			answer := s.rcpt(n)
			if strings.HasPrefix(answer, "250") {
				to = addrOf(line[len("RCPT TO:"):])
			}
			say(answer)
		case verb == "DATA":
			if from == "" || to == "" {
				say("503 need MAIL and RCPT first")
				continue
			}
			say("354 end with <CRLF>.<CRLF>")
			var data strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(strings.TrimPrefix(l, ".")) // dot-unstuffing
			}
			s.mu.Lock()
			s.got = append(s.got, smtpMessage{from: from, to: to, data: data.String()})
			s.mu.Unlock()
			from, to = "", ""
			say("250 queued")
		case verb == "RSET":
			from, to = "", ""
			say("250 OK")
		case verb == "NOOP":
			say("250 OK")
		case verb == "QUIT":
			say("221 bye")
			return
		default:
			say("502 not implemented")
		}
	}
}

// addrOf reads the address out of "<a@b> PARAMS".
func addrOf(arg string) string {
	arg = strings.TrimSpace(arg)
	if i := strings.IndexByte(arg, '>'); strings.HasPrefix(arg, "<") && i > 0 {
		return arg[1:i]
	}
	return arg
}

func (s *smtpServer) messages() []smtpMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]smtpMessage(nil), s.got...)
}

func (s *smtpServer) connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// mailer returns a mailer that sends to s.
func (s *smtpServer) mailer(t *testing.T) *app.Mailer {
	t.Helper()
	m, err := app.ParseSMTP("smtp://" + s.ln.Addr().String() + "?from=" + "Relais%20<relais@example.com>")
	if err != nil {
		t.Fatal(err)
	}
	m.Timeout = 30 * time.Second
	return m
}

func newMailService(t *testing.T, engine string) (*app.Service, *store.Store) {
	t.Helper()
	st := testdb.Open(t, engine)
	return app.New(st, events.NewLocal(), slog.New(slog.DiscardHandler)), st
}

// onlyEmail returns the one e-mail of the outbox.
func onlyEmail(t *testing.T, st *store.Store) *store.Email {
	t.Helper()
	ms, err := st.Emails(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 {
		t.Fatalf("%d e-mails in the outbox; want 1", len(ms))
	}
	return ms[0]
}

func sendMail(t *testing.T, svc *app.Service, now time.Time) int {
	t.Helper()
	n, err := svc.SendMail(context.Background(), now)
	if err != nil {
		t.Fatalf("SendMail: %v", err)
	}
	return n
}

// TestMailSentOnce: a queued e-mail reaches the server once, from the
// configured sender to its recipient, with From, To, a Q-encoded Subject,
// Date, Message-ID and a text/plain UTF-8 body that reads as written.
func TestMailSentOnce(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			srv := newSMTPServer(t, func(int) string { return "250 OK" })
			svc, st := newMailService(t, engine)
			svc.Mailer = srv.mailer(t)
			subject := "Rapport de novembre — Innovation Produits : 3 signaux décidés ✓"
			body := "Bonjour Victor,\n\nVoici le rapport mensuel : « équipe », été, 100 % des signaux traités.\n" +
				".Une ligne qui commence par un point.\n.\n" + strings.Repeat("Une très longue ligne sans retour, ", 8) + "fin.\n"
			if err := svc.QueueMail(ctx, "Victor Lemaire <victor.lemaire@relais.example>", subject, body); err != nil {
				t.Fatal(err)
			}
			if e := onlyEmail(t, st); e.Status != "pending" || e.Attempts != 0 {
				t.Fatalf("queued: %+v; want pending", e)
			}
			now := time.Now()
			if n := sendMail(t, svc, now); n != 1 {
				t.Fatalf("SendMail tried %d; want 1", n)
			}
			got := srv.messages()
			if len(got) != 1 {
				t.Fatalf("the server received %d messages; want 1", len(got))
			}
			m := got[0]
			if m.from != "relais@example.com" || m.to != "victor.lemaire@relais.example" {
				t.Errorf("envelope %s → %s; want relais@example.com → victor.lemaire@relais.example", m.from, m.to)
			}
			for i, line := range strings.SplitAfter(m.data, "\n") {
				if len(line) > 998 || (line != "" && !strings.HasSuffix(line, "\r\n")) {
					t.Errorf("line %d is longer than 998 bytes or does not end in CRLF: %q", i, line)
				}
			}
			msg, err := mail.ReadMessage(strings.NewReader(m.data))
			if err != nil {
				t.Fatalf("not a message: %v\n%s", err, m.data)
			}
			h := msg.Header
			dec := new(mime.WordDecoder)
			gotSubject, err := dec.DecodeHeader(h.Get("Subject"))
			if err != nil || gotSubject != subject {
				t.Errorf("Subject %q decodes to %q (%v); want %q", h.Get("Subject"), gotSubject, err, subject)
			}
			if from, err := mail.ParseAddress(h.Get("From")); err != nil || from.Address != "relais@example.com" || from.Name != "Relais" {
				t.Errorf("From %q: %v", h.Get("From"), err)
			}
			if to, err := mail.ParseAddress(h.Get("To")); err != nil || to.Address != "victor.lemaire@relais.example" || to.Name != "Victor Lemaire" {
				t.Errorf("To %q: %v", h.Get("To"), err)
			}
			if d, err := h.Date(); err != nil || d.Before(now.Add(-time.Hour)) || d.After(now.Add(time.Hour)) {
				t.Errorf("Date %q: %v", h.Get("Date"), err)
			}
			if id := h.Get("Message-ID"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@example.com>") {
				t.Errorf("Message-ID %q; want <…@example.com>", id)
			}
			if mt, params, err := mime.ParseMediaType(h.Get("Content-Type")); err != nil || mt != "text/plain" || !strings.EqualFold(params["charset"], "utf-8") {
				t.Errorf("Content-Type %q; want text/plain; charset=UTF-8", h.Get("Content-Type"))
			}
			if h.Get("MIME-Version") != "1.0" {
				t.Errorf("MIME-Version %q", h.Get("MIME-Version"))
			}
			var text io.Reader = msg.Body
			if strings.EqualFold(h.Get("Content-Transfer-Encoding"), "quoted-printable") {
				text = quotedprintable.NewReader(msg.Body)
			}
			b, err := io.ReadAll(text)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.ReplaceAll(string(b), "\r\n", "\n"); got != body {
				t.Errorf("body reads\n%q\nwant\n%q", got, body)
			}
			if e := onlyEmail(t, st); e.Status != "sent" || e.Attempts != 1 || e.SentAt == nil {
				t.Errorf("after sending: %+v; want sent after 1 attempt", e)
			}

			// Once.
			sendMail(t, svc, now.Add(24*time.Hour))
			if n := len(srv.messages()); n != 1 {
				t.Errorf("the server received %d messages after another round; want 1", n)
			}
		})
	}
}

// TestMailRetriedAfterRefusal: a server that answers 451 to the recipient
// leaves the message pending, tried again after the backoff and sent then;
// a 550 gives it up at once.
func TestMailRetriedAfterRefusal(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			srv := newSMTPServer(t, func(n int) string {
				if n == 1 {
					return "451 4.3.0 try again later"
				}
				return "250 OK"
			})
			svc, st := newMailService(t, engine)
			svc.Mailer = srv.mailer(t)
			if err := svc.QueueMail(ctx, "nadia.haddad@relais.example", "Rapport", "Bonjour."); err != nil {
				t.Fatal(err)
			}
			t0 := time.Now()
			sendMail(t, svc, t0)
			e := onlyEmail(t, st)
			if len(srv.messages()) != 0 || e.Status != "pending" || e.Attempts != 1 || !strings.Contains(e.LastError, "451") {
				t.Fatalf("after a 451: %+v (server got %d); want pending after 1 attempt, the 451 kept", e, len(srv.messages()))
			}
			if lo, hi := t0.Truncate(time.Millisecond).Add(30*time.Second), t0.Add(37*time.Second); e.NextAttemptAt.Before(lo) || e.NextAttemptAt.After(hi) {
				t.Fatalf("next attempt at +%v; want within [+30s, +36s]", e.NextAttemptAt.Sub(t0))
			}
			conns := srv.connections()
			if n := sendMail(t, svc, t0.Add(29*time.Second)); n != 0 || srv.connections() != conns {
				t.Fatalf("29 s later: tried %d, %d new connections; want none", n, srv.connections()-conns)
			}
			sendMail(t, svc, e.NextAttemptAt)
			if e := onlyEmail(t, st); e.Status != "sent" || e.Attempts != 2 || e.LastError != "" || len(srv.messages()) != 1 {
				t.Fatalf("second attempt: %+v (server got %d); want sent once", e, len(srv.messages()))
			}

			// Refused for good.
			refusing := newSMTPServer(t, func(int) string { return "550 5.1.1 no such user" })
			svc.Mailer = refusing.mailer(t)
			if err := svc.QueueMail(ctx, "nobody@relais.example", "Rapport", "Bonjour."); err != nil {
				t.Fatal(err)
			}
			sendMail(t, svc, time.Now())
			ms, err := st.Emails(ctx, 1)
			if err != nil {
				t.Fatal(err)
			}
			if e := ms[0]; e.To != "nobody@relais.example" || e.Status != "failed" || e.Attempts != 1 || !strings.Contains(e.LastError, "550") {
				t.Fatalf("after a 550: %+v; want failed at once, the 550 kept", e)
			}
		})
	}
}

// TestMailGivesUp: a server that never answers is tried MaxOutboxAttempts
// times, then the message is failed.
func TestMailGivesUp(t *testing.T) {
	ctx := context.Background()
	svc, st := newMailService(t, "sqlite")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nobody listens: connection refused
	if svc.Mailer, err = app.ParseSMTP("smtp://" + addr + "?from=relais@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := svc.QueueMail(ctx, "victor.lemaire@relais.example", "Rapport", "Bonjour."); err != nil {
		t.Fatal(err)
	}
	at := time.Now()
	for i := 1; i <= app.MaxOutboxAttempts; i++ {
		if n := sendMail(t, svc, at); n != 1 {
			t.Fatalf("attempt %d: tried %d; want 1", i, n)
		}
		e := onlyEmail(t, st)
		want := "pending"
		if i == app.MaxOutboxAttempts {
			want = "failed"
		}
		if e.Attempts != i || e.Status != want || e.LastError == "" {
			t.Fatalf("after attempt %d: %+v; want %s", i, e, want)
		}
		at = e.NextAttemptAt
	}
	if n := sendMail(t, svc, time.Now().Add(72*time.Hour)); n != 0 {
		t.Errorf("a failed e-mail was tried again")
	}
}

// TestQueueMail: without a mailer nothing is queued; a bad address is
// refused; a subject never spans lines.
func TestQueueMail(t *testing.T) {
	ctx := context.Background()
	svc, st := newMailService(t, "sqlite")
	if err := svc.QueueMail(ctx, "victor.lemaire@relais.example", "Rapport", "Bonjour."); err != nil {
		t.Fatalf("QueueMail without a mailer: %v; want nil", err)
	}
	if n, err := svc.SendMail(ctx, time.Now()); n != 0 || err != nil {
		t.Fatalf("SendMail without a mailer: %d, %v", n, err)
	}
	if ms, _ := st.Emails(ctx, 10); len(ms) != 0 {
		t.Fatalf("%d e-mails queued without a mailer; want none", len(ms))
	}
	var err error
	if svc.Mailer, err = app.ParseSMTP("smtp://127.0.0.1:2525?from=relais@example.com"); err != nil {
		t.Fatal(err)
	}
	for _, to := range []string{"", "victor", "victor@", "a@b.c\r\nBcc: x@y.z"} {
		if err := svc.QueueMail(ctx, to, "Rapport", "Bonjour."); relais.ErrorCode(err) != relais.EINVALID {
			t.Errorf("QueueMail to %q: %v; want invalid", to, err)
		}
	}
	if err := svc.QueueMail(ctx, "victor.lemaire@relais.example", "Rapport\r\nBcc: x@y.z", "Bonjour."); err != nil {
		t.Fatal(err)
	}
	if e := onlyEmail(t, st); e.Subject != "Rapport Bcc: x@y.z" {
		t.Errorf("subject %q; want one line", e.Subject)
	}
	// A long subject in another script folds into lines of encoded words.
	long := strings.Repeat("Сводка сигналов ", 18)
	msg := string(svc.Mailer.Message(&store.Email{ID: 1, Subject: long, Body: "x", CreatedAt: time.Now()},
		&mail.Address{Address: "victor.lemaire@relais.example"}))
	parsed, err := mail.ReadMessage(strings.NewReader(msg))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := new(mime.WordDecoder).DecodeHeader(parsed.Header.Get("Subject")); err != nil || got != long {
		t.Errorf("long subject decodes to %q (%v)", got, err)
	}
	for _, line := range strings.Split(msg, "\r\n") {
		if len(line) > 998 {
			t.Errorf("a header line of %d bytes", len(line))
		}
	}
}

// TestParseSMTP: the --smtp URL.
func TestParseSMTP(t *testing.T) {
	for _, tc := range []struct {
		url      string
		ok       bool
		addr     string
		user, pw string
		from     string
		tls      bool
	}{
		{url: "smtp://mail.example.com:587?from=relais@example.com", ok: true, addr: "mail.example.com:587", from: "relais@example.com"},
		{url: "smtp://relais:p%40ss@mail.example.com:587?from=relais@example.com", ok: true, addr: "mail.example.com:587", user: "relais", pw: "p@ss", from: "relais@example.com"},
		{url: "smtp://mail.example.com?from=relais@example.com", ok: true, addr: "mail.example.com:25", from: "relais@example.com"},
		{url: "smtps://mail.example.com?from=Relais%20%3Crelais@example.com%3E", ok: true, addr: "mail.example.com:465", from: "relais@example.com", tls: true},
		{url: "smtp://[::1]:2525?from=relais@example.com", ok: true, addr: "[::1]:2525", from: "relais@example.com"},
		{url: "mail.example.com:587"},
		{url: "smtp://mail.example.com:587"},
		{url: "smtp://mail.example.com:587?from=relais"},
		{url: "smtp://mail.example.com:0?from=relais@example.com"},
		{url: "smtp://mail.example.com:smtp?from=relais@example.com"},
		{url: "smtp://:587?from=relais@example.com"},
		{url: "smtp://mail.example.com/inbox?from=relais@example.com"},
		{url: "smtp://mail.example.com?from=relais@example.com&tls=yes"},
		{url: "http://mail.example.com?from=relais@example.com"},
		{url: "smtp:mail.example.com?from=relais@example.com"},
	} {
		m, err := app.ParseSMTP(tc.url)
		if !tc.ok {
			if err == nil {
				t.Errorf("ParseSMTP(%q) accepted", tc.url)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseSMTP(%q): %v", tc.url, err)
			continue
		}
		if m.Addr != tc.addr || m.Username != tc.user || m.Password != tc.pw || m.From.Address != tc.from || m.ImplicitTLS != tc.tls {
			t.Errorf("ParseSMTP(%q) = %+v", tc.url, m)
		}
	}
	if _, err := app.ParseSMTP("smtp://relais:s3cr3t@mail.example.com:587?from=nobody"); err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("an error that repeats the password, or none: %v", err)
	}
}
