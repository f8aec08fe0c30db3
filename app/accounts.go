package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"relais"
	"relais/auth"
	"relais/policy"
	"relais/store"
)

// SessionLifetime is how long a browser stays signed in.
const SessionLifetime = 14 * 24 * time.Hour

func badCredentials() error {
	return &relais.Error{Code: relais.EUNAUTHORIZED, Message: "Wrong login or password.", MessageFR: "Identifiant ou mot de passe incorrect."}
}

// DeviceLifetime is how long a sign-in device key keeps its owner apart
// from the account's failure count after its last successful sign-in.
const DeviceLifetime = 180 * 24 * time.Hour

// Credentials are what a client presents to sign in.
type Credentials struct {
	Login, Password string
	// Device is the device key the client was given at an earlier
	// successful sign-in ("": none).
	Device string
	// From is the client's address.
	From string
}

// SignIn checks a login and password and returns the user with the device
// key the client should present next time. Failed attempts are slowed down
// per account and per address; failures on a login that names no account
// are counted apart and never lock a real one; a client presenting a
// device key of the account is counted on its own (see auth.Throttle).
func (s *Service) SignIn(ctx context.Context, c Credentials) (*relais.User, string, error) {
	login, password := strings.TrimSpace(c.Login), c.Password
	at := auth.Attempt{Login: login, Addr: c.From}
	valid := login != "" && password != "" && len(login) <= 200 && len(password) <= 1024 && relais.ValidText(login) && relais.ValidText(password)
	var u *relais.User
	var hash string
	if valid {
		var err error
		u, hash, err = s.Store.PasswordHash(ctx, login)
		switch {
		case relais.ErrorCode(err) == relais.ENOTFOUND:
			u = nil
		case err != nil:
			return nil, "", err
		default:
			at.UserID = u.ID
		}
	}
	// A device key is looked up whatever the login, so that the time
	// taken says nothing of which logins exist.
	if c.Device != "" && len(c.Device) <= 100 {
		owner, err := s.Store.DeviceUserID(ctx, auth.HashSecret(c.Device), time.Now().Add(-DeviceLifetime))
		if err != nil && relais.ErrorCode(err) != relais.ENOTFOUND {
			return nil, "", err
		}
		if err == nil && u != nil && owner == u.ID {
			at.Device = auth.HashSecret(c.Device)
		}
	}
	if wait := s.Throttle.Wait(at); wait > 0 {
		secs := itoa(int(wait.Round(time.Second)/time.Second) + 1)
		return nil, "", &relais.Error{Code: relais.ETOOMANY, Field: secs,
			Message:   "Too many failed sign-ins: try again in " + secs + " s.",
			MessageFR: "Trop d'échecs de connexion : réessayez dans " + secs + " s."}
	}
	if !valid {
		s.Throttle.Fail(at)
		return nil, "", badCredentials()
	}
	if u == nil {
		auth.CheckNoAccount(password)
		s.Throttle.Fail(at)
		return nil, "", badCredentials()
	}
	if !u.Active || !auth.CheckPassword(hash, password) {
		s.Throttle.Fail(at)
		return nil, "", badCredentials()
	}
	s.Throttle.Succeed(at)
	device := c.Device
	if at.Device == "" {
		device = auth.NewSecret()
	}
	if err := s.Store.RememberDevice(ctx, auth.HashSecret(device), u.ID, time.Now().Add(-DeviceLifetime)); err != nil {
		return nil, "", err
	}
	return u, device, nil
}

// CreateToken signs in and returns a new API token with the device key
// the client should send next time.
func (s *Service) CreateToken(ctx context.Context, c Credentials) (token, device string, u *relais.User, err error) {
	u, device, err = s.SignIn(ctx, c)
	if err != nil {
		return "", "", nil, err
	}
	token = auth.NewSecret()
	if err := s.Store.CreateToken(ctx, auth.HashSecret(token), u.ID); err != nil {
		return "", "", nil, err
	}
	return token, device, u, nil
}

// UserByToken returns the active user an API token belongs to.
func (s *Service) UserByToken(ctx context.Context, token string) (*relais.User, error) {
	return s.Store.UserByToken(ctx, auth.HashSecret(token))
}

func (s *Service) activeUser(ctx context.Context, id int64) (*relais.User, error) {
	u, err := s.Store.UserByID(ctx, id)
	if relais.ErrorCode(err) == relais.ENOTFOUND || (err == nil && !u.Active) {
		return nil, &relais.Error{Code: relais.EUNAUTHORIZED, Message: "Please sign in.", MessageFR: "Veuillez vous connecter."}
	}
	return u, err
}

// StartSession signs in a browser and returns the session secret (for the
// cookie), the session with its CSRF token, and the device key the browser
// should keep.
func (s *Service) StartSession(ctx context.Context, c Credentials) (secret string, ss *relais.Session, device string, err error) {
	u, device, err := s.SignIn(ctx, c)
	if err != nil {
		return "", nil, "", err
	}
	secret = auth.NewSecret()
	ss = &relais.Session{IDHash: auth.HashSecret(secret), UserID: u.ID, CSRF: auth.NewSecret(), ExpiresAt: time.Now().Add(SessionLifetime)}
	if err := s.Store.CreateSession(ctx, ss); err != nil {
		return "", nil, "", err
	}
	return secret, ss, device, nil
}

// Session returns the user and session of a session secret.
func (s *Service) Session(ctx context.Context, secret string) (*relais.User, *relais.Session, error) {
	ss, err := s.Store.SessionByHash(ctx, auth.HashSecret(secret))
	if err != nil {
		return nil, nil, err
	}
	u, err := s.activeUser(ctx, ss.UserID)
	return u, ss, err
}

// EndSession signs a browser out.
func (s *Service) EndSession(ctx context.Context, secret string) error {
	ss, err := s.Store.SessionByHash(ctx, auth.HashSecret(secret))
	if relais.ErrorCode(err) == relais.ENOTFOUND {
		return nil // already ended or expired: signing out again is harmless
	} else if err != nil {
		return err
	}
	if err := s.Store.DeleteSession(ctx, ss.IDHash); err != nil {
		return err
	}
	return nil
}

// UserByLogin returns the public profile of a user.
func (s *Service) UserByLogin(ctx context.Context, login string) (*relais.User, error) {
	return s.Store.UserByLogin(ctx, login)
}

// SetRoles replaces the organization-wide roles of a user, each role
// granted only as the policy allows.
func (s *Service) SetRoles(ctx context.Context, actor *relais.User, userID int64, roles []relais.Role) (*relais.User, error) {
	a := policy.ActorOf(actor)
	// Authority first, so that who may not assign roles learns nothing of
	// which accounts exist.
	if d := policy.Decide(a, policy.GrantRole, policy.Target{}); d.Rule.ID == policy.RuleRoleAuthority {
		return nil, d.Err()
	}
	subject, err := s.Store.UserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	sub := policy.ActorOf(subject)
	seen := map[relais.Role]bool{}
	clean := []relais.Role{}
	for _, r := range roles {
		if !r.Valid() {
			return nil, &relais.Error{Code: relais.EINVALID, Field: "roles",
				Message:   "Unknown role " + string(r) + "; expected administrator, community_manager or social_media_manager.",
				MessageFR: "Rôle inconnu " + string(r) + " ; attendu : administrator, community_manager ou social_media_manager."}
		}
		if seen[r] {
			continue
		}
		seen[r] = true
		clean = append(clean, r)
	}
	for _, r := range clean {
		if d := policy.Decide(a, policy.GrantRole, policy.Target{Role: r, Subject: &sub}); d.Effect == policy.Deny {
			e := d.Err().(*relais.Error)
			if d.Rule.ID == policy.RuleRoleCMInternalOnly || d.Rule.ID == policy.RuleRoleAdminGrant {
				e.Code = relais.EUNPROCESSABLE
			}
			return nil, e
		}
	}
	if err := s.Store.SetRoles(ctx, actor.ID, userID, clean); err != nil {
		return nil, err
	}
	if err := s.startFirstCoPilot(ctx, actor, subject, clean); err != nil {
		return nil, err
	}
	return s.Store.UserByID(ctx, userID)
}

// startFirstCoPilot places an external account that becomes a social media
// manager for the first time in a co-pilot period: none of its actions is
// visible before an internal mentor approves it. Who grants the role mentors
// it when the policy lets them mentor (the community manager), until
// another mentor is appointed; otherwise (an administrator) the period
// starts without a mentor and what waits goes to the one appointed later.
func (s *Service) startFirstCoPilot(ctx context.Context, actor, subject *relais.User, roles []relais.Role) error {
	if subject.Employment == relais.Internal || subject.CoPilot || subject.HasRole(relais.RoleSocialMediaManager) ||
		!slices.Contains(roles, relais.RoleSocialMediaManager) {
		return nil
	}
	o, err := s.Store.Onboarding(ctx, subject.ID)
	if err != nil {
		return err
	}
	if o.CoPilotSince != nil {
		return nil // a period already ended: the community manager decided
	}
	var mentorID int64
	if policy.Decide(policy.ActorOf(actor), policy.Mentor, policy.Target{}).Allowed() {
		mentorID = actor.ID
	}
	if err := s.Store.StartCoPilot(ctx, subject.ID, mentorID, actor.ID); err != nil {
		return err
	}
	return nil
}

// RevokeToken revokes the API token of u (signing out of the API).
func (s *Service) RevokeToken(ctx context.Context, u *relais.User, token string) error {
	if err := s.Store.DeleteToken(ctx, auth.HashSecret(token)); err != nil {
		return err
	}
	return nil
}

// Users returns the users of a login, or the directory's listing when login
// is empty, that the actor may see. Looking up a login: employees find
// anyone (knowing the login is enough to address them), external accounts
// only the members of their own spaces. The listing leaves out, besides,
// the people who show their profile to their spaces only (policy
// ViewProfile). Whether each is in co-pilot, and their mentor, is withheld
// from a reader the policy does not let know (copilot.view).
func (s *Service) Users(ctx context.Context, actor *relais.User, login string) ([]*relais.User, error) {
	login = strings.TrimSpace(login)
	us, err := s.Store.Users(ctx, login)
	if err != nil {
		return nil, err
	}
	for _, u := range us {
		withholdCoPilot(actor, u)
	}
	a := policy.ActorOf(actor)
	directory := policy.Decide(a, policy.ViewDirectory, policy.Target{}).Effect == policy.Allow
	if directory && login != "" {
		return us, nil
	}
	fellows, err := s.Store.CoMembers(ctx, actor.ID)
	if err != nil {
		return nil, err
	}
	restricted := map[int64]bool{}
	if login == "" {
		if restricted, err = s.Store.RestrictedProfiles(ctx); err != nil {
			return nil, err
		}
	}
	out := us[:0]
	for _, u := range us {
		if fellows[u.ID] || (directory && policy.Decide(a, policy.ViewProfile, policy.Target{Restricted: restricted[u.ID]}).Allowed()) {
			out = append(out, u)
		}
	}
	return out, nil
}

// Audit returns a page of the audit trail of governance actions, newest
// first, to those the policy lets read it. What was written in a team
// space (a title, a reason, a summary) is withheld from a reader who may
// not read that space: they see who did what, when, on which kind of
// subject, as webhooks and signals show it to outsiders.
func (s *Service) Audit(ctx context.Context, u *relais.User, beforeID int64, limit int) ([]relais.AuditEntry, error) {
	if err := policy.Decide(policy.ActorOf(u), policy.ViewAudit, policy.Target{}).Err(); err != nil {
		return nil, err
	}
	es, err := s.Store.Audit(ctx, store.AuditFilter{BeforeID: beforeID, Limit: limit})
	if err != nil {
		return nil, err
	}
	var views map[int64]*SpaceView
	for i := range es {
		if es[i].SpaceID == 0 || !es[i].Written() {
			continue
		}
		if views == nil {
			all, err := s.allSpaceViews(ctx, u)
			if err != nil {
				return nil, err
			}
			views = make(map[int64]*SpaceView, len(all))
			for _, v := range all {
				views[v.ID] = v
			}
		}
		if withholdsText(views[es[i].SpaceID]) {
			es[i].Withhold()
		}
	}
	return es, nil
}

// withholdsText reports whether what was written in a space is kept from
// the reader of the audit trail: a team space (or one no longer known) they
// may not read.
func withholdsText(v *SpaceView) bool {
	if v == nil {
		return true
	}
	return v.Kind != relais.SpaceCommunity && !v.Can.Read.Allowed()
}
