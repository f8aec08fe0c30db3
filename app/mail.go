package app

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"relais"
	"relais/metrics"
	"relais/store"
)

// E-mail leaves through an outbox too: QueueMail writes the message, the
// background loop sends it over SMTP and retries with backoff until the
// server takes it or MaxOutboxAttempts.

const (
	// DefaultSMTPTimeout bounds one SMTP conversation when the mailer sets
	// none.
	DefaultSMTPTimeout = 30 * time.Second
	// emailBatch is how many e-mails are claimed at once; they are sent
	// deliveryConcurrency at a time, well within the lease.
	emailBatch = 8
	// maxEmailBody bounds the body of a queued e-mail, in bytes.
	maxEmailBody = 1 << 20
	// maxSubject bounds the subject, in characters.
	maxSubject = 300
)

// Mailer sends e-mail through one SMTP server. ParseSMTP builds it from
// the --smtp URL.
type Mailer struct {
	// Addr is the server's host:port, and Host its name, checked against
	// its certificate.
	Addr, Host string
	// Username and Password authenticate (PLAIN) when Username is set,
	// only over TLS (or to localhost).
	Username, Password string
	// From is the sender of every message.
	From *mail.Address
	// ImplicitTLS speaks TLS from the first byte (smtps://); otherwise
	// the conversation turns to TLS (STARTTLS) when the server offers it.
	ImplicitTLS bool
	// TLS is the TLS configuration (nil: the system's roots, ServerName
	// Host).
	TLS *tls.Config
	// Timeout bounds one conversation (0: DefaultSMTPTimeout).
	Timeout time.Duration
}

// SMTPHelp says what a --smtp URL looks like.
const SMTPHelp = "expected smtp://[user:password@]host:port?from=relais@example.com (or smtps:// for TLS from the first byte)"

// ParseSMTP reads an SMTP configuration from a URL:
// smtp://[user:password@]host[:port]?from=address (port 25 by default), or
// smtps://… for implicit TLS (port 465 by default). Its errors never
// repeat the password.
func ParseSMTP(raw string) (*Mailer, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New(SMTPHelp)
	}
	m := &Mailer{}
	port := ""
	switch u.Scheme {
	case "smtp":
		port = "25"
	case "smtps":
		port, m.ImplicitTLS = "465", true
	default:
		return nil, fmt.Errorf("unknown scheme %q: %s", u.Scheme, SMTPHelp)
	}
	if u.Opaque != "" || u.Hostname() == "" {
		return nil, fmt.Errorf("no server host: %s", SMTPHelp)
	}
	if u.Path != "" && u.Path != "/" {
		return nil, fmt.Errorf("unexpected path %q: %s", u.Path, SMTPHelp)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("the port must be a number from 1 to 65535: %s", SMTPHelp)
		}
		port = p
	}
	m.Host = u.Hostname()
	m.Addr = net.JoinHostPort(m.Host, port)
	if u.User != nil {
		m.Username = u.User.Username()
		m.Password, _ = u.User.Password()
	}
	q := u.Query()
	for k := range q {
		if k != "from" {
			return nil, fmt.Errorf("unknown parameter %q: %s", k, SMTPHelp)
		}
	}
	if q.Get("from") == "" {
		return nil, fmt.Errorf("the sender is missing: %s", SMTPHelp)
	}
	if m.From, err = mail.ParseAddress(q.Get("from")); err != nil {
		return nil, fmt.Errorf("from=%q is not an e-mail address", q.Get("from"))
	}
	return m, nil
}

// QueueMail queues an e-mail to one recipient: a plain text body, in
// UTF-8. It does nothing when no mailer is configured. The message leaves
// with the next round of the background loop.
func (s *Service) QueueMail(ctx context.Context, to, subject, body string) error {
	if s.Mailer == nil {
		return nil
	}
	bad := func(field, en, fr string) error {
		return &relais.Error{Code: relais.EINVALID, Field: field, Message: en, MessageFR: fr}
	}
	addr, err := mail.ParseAddress(to)
	if err != nil {
		return bad("to", "The recipient "+strconv.Quote(to)+" is not an e-mail address.",
			"Le destinataire "+strconv.Quote(to)+" n'est pas une adresse e-mail.")
	}
	// One line: a subject never carries a header of its own.
	subject = strings.Join(strings.Fields(subject), " ")
	switch {
	case !relais.ValidText(subject) || !relais.ValidText(body):
		return bad("body", "The message holds invalid characters (not UTF-8, or a NUL).",
			"Le message contient des caractères invalides (hors UTF-8, ou NUL).")
	case subject == "":
		return bad("subject", "The subject is required.", "Le sujet est requis.")
	case utf8.RuneCountInString(subject) > maxSubject:
		return bad("subject", "The subject is longer than 300 characters.", "Le sujet dépasse 300 caractères.")
	case len(body) > maxEmailBody:
		return bad("body", "The message is larger than 1 MiB.", "Le message dépasse 1 Mio.")
	}
	recipient := addr.Address
	if addr.Name != "" {
		recipient = addr.String()
	}
	_, err = s.Store.EnqueueEmail(ctx, recipient, subject, body)
	return err
}

// SendMail sends the e-mails due at now and records each outcome: taken by
// the server, retried with backoff, or given up after MaxOutboxAttempts (at
// once when the server refuses the recipient for good, a 5xx). It claims
// the messages first, so that several nodes never send the same one at
// once. It does nothing without a mailer, and returns how many it tried.
func (s *Service) SendMail(ctx context.Context, now time.Time) (int, error) {
	if s.Mailer == nil {
		return 0, nil
	}
	ms, err := s.Store.ClaimDueEmails(ctx, now, outboxLease, emailBatch)
	if err != nil {
		return 0, err
	}
	errs := make([]error, len(ms))
	bounded(len(ms), deliveryConcurrency, func(i int) {
		m := ms[i]
		start := time.Now()
		err := s.Mailer.Send(ctx, m)
		switch {
		case ctx.Err() != nil:
			// Stopping: the lease runs out and the message is tried again.
		case err == nil:
			metrics.OutboxSend(metrics.SendEmail, metrics.Delivered, time.Since(start))
			errs[i] = s.Store.RecordEmail(ctx, m.ID, true, "", time.Time{})
		default:
			next := nextAttempt(now, m.Attempts)
			if permanent(err) {
				next = time.Time{}
			}
			if next.IsZero() {
				metrics.OutboxSend(metrics.SendEmail, metrics.GivenUp, time.Since(start))
				s.Log.Warn("mail: message given up", "email", m.ID, "attempts", m.Attempts+1, "err", err)
			} else {
				metrics.OutboxSend(metrics.SendEmail, metrics.Retry, time.Since(start))
			}
			errs[i] = s.Store.RecordEmail(ctx, m.ID, false, cleanText(err.Error(), 500), next)
		}
	})
	return len(ms), errors.Join(errs...)
}

// smtpError is a failure at one step of the conversation.
type smtpError struct {
	step string
	err  error
}

func (e *smtpError) Error() string { return e.step + ": " + e.err.Error() }
func (e *smtpError) Unwrap() error { return e.err }

// permanent reports whether retrying cannot help: the recipient's address
// is unreadable, or the server refused it for good (5xx).
func permanent(err error) bool {
	var se *smtpError
	if !errors.As(err, &se) {
		return false
	}
	if se.step == "address" {
		return true
	}
	var te *textproto.Error
	return se.step == "RCPT TO" && errors.As(err, &te) && te.Code >= 500 && te.Code < 600
}

// Send sends one message of the outbox in one SMTP conversation.
func (m *Mailer) Send(ctx context.Context, e *store.Email) error {
	to, err := mail.ParseAddress(e.To)
	if err != nil {
		return &smtpError{"address", err}
	}
	msg := m.Message(e, to)
	timeout := m.Timeout
	if timeout <= 0 {
		timeout = DefaultSMTPTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	deadline, _ := ctx.Deadline()
	d := net.Dialer{}
	conn, err := d.DialContext(ctx, "tcp", m.Addr)
	if err != nil {
		return &smtpError{"connect", err}
	}
	defer conn.Close()
	conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	cfg := m.TLS
	if cfg == nil {
		cfg = &tls.Config{ServerName: m.Host}
	}
	if m.ImplicitTLS {
		conn = tls.Client(conn, cfg)
	}
	c, err := smtp.NewClient(conn, m.Host)
	if err != nil {
		return &smtpError{"greeting", err}
	}
	defer c.Close()
	if err := c.Hello(helloName()); err != nil {
		return &smtpError{"EHLO", err}
	}
	if !m.ImplicitTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(cfg); err != nil {
				return &smtpError{"STARTTLS", err}
			}
		}
	}
	if m.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", m.Username, m.Password, m.Host)); err != nil {
			return &smtpError{"AUTH", err}
		}
	}
	if err := c.Mail(m.From.Address); err != nil {
		return &smtpError{"MAIL FROM", err}
	}
	if err := c.Rcpt(to.Address); err != nil {
		return &smtpError{"RCPT TO", err}
	}
	w, err := c.Data()
	if err != nil {
		return &smtpError{"DATA", err}
	}
	if _, err := w.Write(msg); err != nil {
		return &smtpError{"DATA", err}
	}
	if err := w.Close(); err != nil {
		return &smtpError{"DATA", err}
	}
	// The server took the message: a failed goodbye changes nothing.
	c.Quit()
	return nil
}

// helloName is the name this node gives in EHLO.
func helloName() string {
	if h, err := os.Hostname(); err == nil && h != "" && !strings.ContainsAny(h, " \r\n") {
		return h
	}
	return "localhost"
}

// Message returns an outbox e-mail as sent: headers (From, To, Subject in
// RFC 2047 Q-encoding, Date, Message-ID, MIME) then the body as UTF-8 plain
// text in quoted-printable, lines ending in CRLF. The Message-ID comes from
// the outbox row, so that a message sent twice (a node stopped between the
// server's answer and the record) reads as one.
func (m *Mailer) Message(e *store.Email, to *mail.Address) []byte {
	domain := "relais.invalid"
	if _, d, ok := strings.Cut(m.From.Address, "@"); ok && d != "" {
		domain = d
	}
	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", m.From.String())
	header("To", to.String())
	// Encoded words are folded on lines of their own.
	header("Subject", strings.ReplaceAll(mime.QEncoding.Encode("utf-8", e.Subject), "?= =?", "?=\r\n =?"))
	header("Date", e.CreatedAt.Format(time.RFC1123Z))
	header("Message-ID", fmt.Sprintf("<relais.%d.%d@%s>", e.ID, e.CreatedAt.UnixMilli(), domain))
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=UTF-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	header("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(strings.ReplaceAll(e.Body, "\r\n", "\n")))
	qp.Close()
	if !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) {
		b.WriteString("\r\n")
	}
	return b.Bytes()
}
