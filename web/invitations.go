package web

import (
	"net/http"
	"strconv"

	"relais"
	"relais/app"
)

// invitationPage is the view of an invitation to join a community, for the
// person invited: who invites them, the charter they accept by joining,
// and the forms to accept or decline.
type invitationPage struct {
	Page
	Invitation *relais.Invitation
	Space      *app.SpaceView
	Charter    [4][2]string // the charter's texts with their labels
	Error      string       // why the answer was refused
	Rule       string       // the rule that refused it, when one did
	Field      string       // the field the error is about
}

// errNoInvitation is the answer for an invitation that is not the
// person's, or not waiting for their answer any more.
func errNoInvitation() error {
	return &relais.Error{Code: relais.ENOTFOUND,
		Message:   "No invitation of yours waits with this number: it was answered already, or it is not yours.",
		MessageFR: "Aucune de vos invitations n'attend de réponse sous ce numéro : elle a déjà reçu une réponse, ou elle ne vous est pas adressée."}
}

// loadInvitation builds the view of one of the person's pending
// invitations.
func (s *Server) loadInvitation(r *http.Request, v *visit, id int64) (*invitationPage, error) {
	is, err := s.App.MyInvitations(r.Context(), v.User)
	if err != nil {
		return nil, err
	}
	var inv *relais.Invitation
	for _, x := range is {
		if x.ID == id {
			inv = x
		}
	}
	if inv == nil {
		return nil, errNoInvitation()
	}
	sp, err := s.App.Space(r.Context(), v.User, inv.SpaceID)
	if err != nil {
		return nil, err
	}
	ip := &invitationPage{Page: v.page(r, ""), Invitation: inv, Space: sp}
	ip.Title = ip.Tf("invitation.title", sp.Name)
	ip.Path = "/invitations/" + strconv.FormatInt(id, 10)
	if sp.Charter != nil {
		ip.Charter = charterTexts(&ip.Page, sp.Charter)
	}
	return ip, nil
}

func (s *Server) invitation(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	ip, err := s.loadInvitation(r, v, id)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	s.render(w, r, http.StatusOK, "invitation", ip)
}

// acceptInvitation joins the community, the charter's current version
// read and accepted, and goes to its page, which welcomes the new member.
func (s *Server) acceptInvitation(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	version, err := acceptedVersion(r)
	if err != nil {
		s.refuseInvitation(w, r, v, id, err)
		return
	}
	inv, err := s.App.RespondInvitation(r.Context(), v.User, id, true, version)
	if err != nil {
		s.refuseInvitation(w, r, v, id, err)
		return
	}
	http.Redirect(w, r, "/spaces/"+strconv.FormatInt(inv.SpaceID, 10)+"?join=joined", http.StatusSeeOther)
}

// declineInvitation declines it and goes back home, which says so.
func (s *Server) declineInvitation(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if _, err := s.App.RespondInvitation(r.Context(), v.User, id, false, 0); err != nil {
		s.refuseInvitation(w, r, v, id, err)
		return
	}
	http.Redirect(w, r, "/?invitation=declined", http.StatusSeeOther)
}

// refuseInvitation shows the invitation again with the reason an answer
// was refused; when the invitation itself cannot be shown, the error page
// says why.
func (s *Server) refuseInvitation(w http.ResponseWriter, r *http.Request, v *visit, id int64, err error) {
	status, e, msg := s.message(r, v.Lang, err)
	ip, lerr := s.loadInvitation(r, v, id)
	if lerr != nil || status == http.StatusInternalServerError {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	ip.Error, ip.Rule, ip.Field = msg, e.Rule, e.Field
	s.render(w, r, status, "invitation", ip)
}
