package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"relais"
	"relais/auth"
)

// Sign-in through an OpenID Connect provider (the company's identity
// provider): the authorization code flow with PKCE (S256), a state against
// cross-site requests and a nonce against replays; the ID token is verified
// with go-oidc (signature by the provider's published keys, issuer,
// audience, expiry).
//
// Who signs in: the account already bound to the identity (issuer and
// subject) if any; else the account whose e-mail address is the identity's
// (unless the provider says the address is not verified); else the account
// whose login is the identity's login claim (preferred_username by
// default). The account is then bound to the identity: from then on, only
// that identity signs in to it, even if addresses change hands. An identity
// that matches no account is refused with a clear message: Relais creates
// no account on the fly — accounts come from the directory (CSV import,
// SCIM). A deactivated account is refused too.

// OIDCConfig configures sign-in through an OpenID Connect provider.
type OIDCConfig struct {
	// Issuer is the provider's issuer URL, where
	// /.well-known/openid-configuration lives.
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is the callback registered at the provider,
	// https://relais.example.com/signin/oidc/callback; empty, it is made of
	// the public URL the server is configured with.
	RedirectURL string
	// LoginClaim is the claim matched against logins (default
	// preferred_username).
	LoginClaim string
	// HTTPClient calls the provider (nil: a client with a 10 s timeout).
	HTTPClient *http.Client
}

// Validate checks the configuration and says what is wrong in words.
func (c *OIDCConfig) Validate() error {
	u, err := url.Parse(c.Issuer)
	switch {
	case c.Issuer == "":
		return errors.New("the issuer URL is required")
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		return fmt.Errorf("the issuer %q is not an http(s) URL", c.Issuer)
	case c.ClientID == "":
		return errors.New("the client id is required")
	}
	if c.RedirectURL != "" {
		r, err := url.Parse(c.RedirectURL)
		if err != nil || (r.Scheme != "https" && r.Scheme != "http") || r.Host == "" {
			return fmt.Errorf("the redirect URL %q is not an http(s) URL", c.RedirectURL)
		}
	}
	return nil
}

// OIDC signs people in through an OpenID Connect provider. It discovers
// the provider on first use, and again until that succeeds.
type OIDC struct {
	cfg      OIDCConfig
	client   *http.Client
	mu       sync.Mutex
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
}

// NewOIDC returns the sign-in through a provider; it contacts nobody yet.
func NewOIDC(cfg OIDCConfig) (*OIDC, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.LoginClaim == "" {
		cfg.LoginClaim = "preferred_username"
	}
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	return &OIDC{cfg: cfg, client: client}, nil
}

// ErrProviderUnreachable marks the errors of a provider that could not be
// reached or discovered.
var ErrProviderUnreachable = errors.New("oidc: the provider cannot be reached")

func unreachable(err error) error {
	return &relais.Error{Code: relais.EINTERNAL, Message: "The company sign-in service cannot be reached: try again in a moment, or sign in with your password.",
		MessageFR: "Le service de connexion de l'entreprise est injoignable : réessayez dans un instant, ou connectez-vous avec votre mot de passe."}
}

func (o *OIDC) discover(ctx context.Context) (*oidc.Provider, *oidc.IDTokenVerifier, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return o.provider, o.verifier, nil
	}
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, o.client), o.cfg.Issuer)
	if err != nil {
		return nil, nil, fmt.Errorf("oidc: discover %s: %w", o.cfg.Issuer, err)
	}
	// The key set outlives this request: it fetches keys with a context
	// of its own.
	o.provider = p
	o.verifier = p.VerifierContext(oidc.ClientContext(context.Background(), o.client), &oidc.Config{ClientID: o.cfg.ClientID})
	return o.provider, o.verifier, nil
}

func (o *OIDC) oauth(p *oidc.Provider, redirect string) *oauth2.Config {
	if o.cfg.RedirectURL != "" {
		redirect = o.cfg.RedirectURL
	}
	return &oauth2.Config{ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret, Endpoint: p.Endpoint(),
		RedirectURL: redirect, Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
}

// OIDCStart is one sign-in under way: the browser keeps State, Nonce and
// Verifier (in a cookie) and goes to URL.
type OIDCStart struct {
	State    string
	Nonce    string
	Verifier string
	URL      string
}

// Start begins a sign-in; redirect is the callback URL made of the public URL
// (used when the configuration names none).
func (o *OIDC) Start(ctx context.Context, redirect string) (*OIDCStart, error) {
	p, _, err := o.discover(ctx)
	if err != nil {
		return nil, errors.Join(unreachable(err), ErrProviderUnreachable, err)
	}
	st := &OIDCStart{State: auth.NewSecret(), Nonce: auth.NewSecret(), Verifier: oauth2.GenerateVerifier()}
	st.URL = o.oauth(p, redirect).AuthCodeURL(st.State, oidc.Nonce(st.Nonce), oauth2.S256ChallengeOption(st.Verifier))
	return st, nil
}

// Identity is who the provider says signed in.
type Identity struct {
	// Subject is the identity at the provider: issuer and subject.
	Subject string
	Email   string
	// EmailVerified is false when the provider says the address is not
	// verified (absent: trusted).
	EmailVerified bool
	Login         string
	Name          string
}

func badToken() error {
	return &relais.Error{Code: relais.EUNAUTHORIZED, Message: "The company sign-in could not be verified: start again.",
		MessageFR: "La connexion par l'entreprise n'a pas pu être vérifiée : recommencez."}
}

// Finish exchanges the code the provider returned (with the PKCE verifier),
// verifies the ID token and its nonce, and returns the identity.
func (o *OIDC) Finish(ctx context.Context, redirect, code, verifier, nonce string) (*Identity, error) {
	p, v, err := o.discover(ctx)
	if err != nil {
		return nil, errors.Join(unreachable(err), ErrProviderUnreachable, err)
	}
	tok, err := o.oauth(p, redirect).Exchange(context.WithValue(ctx, oauth2.HTTPClient, o.client), code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, errors.Join(badToken(), fmt.Errorf("oidc: exchange: %w", err))
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return nil, errors.Join(badToken(), errors.New("oidc: no id_token in the token response"))
	}
	idt, err := v.Verify(ctx, raw)
	if err != nil {
		return nil, errors.Join(badToken(), fmt.Errorf("oidc: verify: %w", err))
	}
	if idt.Nonce != nonce {
		return nil, errors.Join(badToken(), errors.New("oidc: nonce mismatch"))
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return nil, errors.Join(badToken(), err)
	}
	id := &Identity{Subject: idt.Issuer + " " + idt.Subject, EmailVerified: true}
	id.Email, _ = claims["email"].(string)
	id.Login, _ = claims[o.cfg.LoginClaim].(string)
	id.Name, _ = claims["name"].(string)
	switch ev := claims["email_verified"].(type) {
	case bool:
		id.EmailVerified = ev
	case string:
		id.EmailVerified = !strings.EqualFold(ev, "false")
	}
	return id, nil
}

func unknownIdentity(id *Identity) error {
	who := id.Email
	if who == "" {
		who = id.Login
	}
	return &relais.Error{Code: relais.EFORBIDDEN, Field: who,
		Message: "No Relais account matches your company identity (" + who + "). Accounts come from the company directory: " +
			"ask your administrator to add you to it, then sign in again.",
		MessageFR: "Aucun compte Relais ne correspond à votre identité d'entreprise (" + who + "). Les comptes viennent de l'annuaire de l'entreprise : " +
			"demandez à votre administrateur de vous y ajouter, puis reconnectez-vous."}
}

// UserOfIdentity returns the active account an identity signs in to, and
// binds it to the identity at its first sign-in.
func (s *Service) UserOfIdentity(ctx context.Context, id *Identity) (*relais.User, error) {
	u, err := s.Store.UserByOIDCSubject(ctx, id.Subject)
	if relais.ErrorCode(err) == relais.ENOTFOUND {
		u, err = s.matchIdentity(ctx, id)
	}
	if err != nil {
		return nil, err
	}
	if !u.Active {
		return nil, &relais.Error{Code: relais.EFORBIDDEN, Message: "Your Relais account (" + u.Login + ") is deactivated: ask your administrator.",
			MessageFR: "Votre compte Relais (" + u.Login + ") est désactivé : adressez-vous à votre administrateur."}
	}
	if err := s.Store.BindOIDCSubject(ctx, u.ID, id.Subject); err != nil {
		if relais.ErrorCode(err) == relais.ECONFLICT {
			return nil, &relais.Error{Code: relais.EFORBIDDEN,
				Message:   "The Relais account " + u.Login + " is bound to another company identity: ask your administrator.",
				MessageFR: "Le compte Relais " + u.Login + " est lié à une autre identité d'entreprise : adressez-vous à votre administrateur."}
		}
		return nil, err
	}
	return u, nil
}

func (s *Service) matchIdentity(ctx context.Context, id *Identity) (*relais.User, error) {
	if id.Email != "" && id.EmailVerified {
		us, err := s.Store.UsersByEmail(ctx, id.Email)
		if err != nil {
			return nil, err
		}
		switch len(us) {
		case 1:
			return us[0], nil
		case 0:
		default:
			return nil, &relais.Error{Code: relais.EFORBIDDEN,
				Message:   "Several Relais accounts have the address " + id.Email + ": ask your administrator to correct the directory.",
				MessageFR: "Plusieurs comptes Relais ont l'adresse " + id.Email + " : demandez à votre administrateur de corriger l'annuaire."}
		}
	}
	if id.Login != "" && relais.ValidLogin(id.Login) {
		u, err := s.Store.UserByLogin(ctx, id.Login)
		if err == nil {
			return u, nil
		} else if relais.ErrorCode(err) != relais.ENOTFOUND {
			return nil, err
		}
	}
	return nil, unknownIdentity(id)
}

// StartOIDCSession signs in a browser for an identity the provider vouched
// for, and returns the session secret (for the cookie) and its CSRF token.
func (s *Service) StartOIDCSession(ctx context.Context, id *Identity) (string, *relais.Session, error) {
	u, err := s.UserOfIdentity(ctx, id)
	if err != nil {
		return "", nil, err
	}
	secret := auth.NewSecret()
	ss := &relais.Session{IDHash: auth.HashSecret(secret), UserID: u.ID, CSRF: auth.NewSecret(), ExpiresAt: time.Now().Add(SessionLifetime)}
	if err := s.Store.CreateSession(ctx, ss); err != nil {
		return "", nil, err
	}
	return secret, ss, nil
}
