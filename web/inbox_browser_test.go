package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"relais/server"
)

// TestBrowserLeaAcceptsInvitation follows an invitation from samir, steward
// of Innovation Produits, to lea, who reads the charter, accepts it and
// lands in the space as a member.
func TestBrowserLeaAcceptsInvitation(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, "sqlite", server.Options{})
	inv := e.invite("samir", "lea", innovation, "Tes retours du terrain commercial nous manquent !")
	path := "/invitations/" + strconv.FormatInt(inv.ID, 10)

	signInWithBrowser(t, ctx, e.srv.URL, "lea")
	if h := text(t, ctx, "#invitations-h"); h != "Invitations" {
		t.Errorf("invitations heading %q", h)
	}
	if c := text(t, ctx, "#invitation-"+strconv.FormatInt(inv.ID, 10)); !strings.Contains(c, "Samir Benali invites you") ||
		!strings.Contains(c, "Tes retours du terrain commercial nous manquent !") {
		t.Errorf("invitation card %q", c)
	}
	if l := text(t, ctx, `nav.menu a[href="/notifications"]`); l != "Notifications (1)" {
		t.Errorf("header link %q", l)
	}
	fitsPhone(t, ctx, "home-invitation")

	// The card leads to the charter and the answer.
	must(t, "open the invitation", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a.invitation-link[href="`+path+`"]`)),
		chromedp.WaitVisible(chromedp.ID("charter-h")),
	))
	if h := text(t, ctx, "h1"); h != "Invitation to join "+innovation {
		t.Errorf("invitation page h1 %q", h)
	}
	if c := text(t, ctx, "section.charter"); !strings.Contains(c, "Relier le terrain (support, ventes)") || !strings.Contains(c, "Version 1") ||
		!strings.Contains(c, "Limits of autonomy") || !strings.Contains(c, "Expected actions") {
		t.Errorf("charter on the invitation page: %q", c)
	}
	fitsPhone(t, ctx, "invitation")

	// Ticking the box by its label, then accepting, lands in the space.
	must(t, "accept", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`label[for="accept"]`)),
		chromedp.Poll[chromedp.Void](`document.getElementById("accept").checked`),
		chromedp.Click(chromedp.CSS(`form[action="`+path+`/accept"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.notice.ok`)),
	))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	must(t, "location", err)
	if want := e.srv.URL + e.spacePath(innovation) + "?join=joined"; loc != want {
		t.Errorf("after accepting: %s, want %s", loc, want)
	}
	if n := text(t, ctx, ".notice.ok"); !strings.Contains(n, "You are now a member of this space") {
		t.Errorf("notice after accepting %q", n)
	}
	if n := count(t, ctx, `form[action="`+e.spacePath(innovation)+`/join"]`); n != 0 {
		t.Errorf("lea is offered to join a space she is a member of")
	}

	// Home lists the community among hers, and the invitation is gone.
	must(t, "home", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a.brand`)),
		chromedp.WaitVisible(chromedp.ID("communities-h")),
	))
	if n := count(t, ctx, "#invitations-h"); n != 0 {
		t.Errorf("the answered invitation is still on the home page")
	}
	if n := count(t, ctx, `section[aria-labelledby="communities-h"] a[href="`+e.spacePath(innovation)+`"]`); n != 1 {
		t.Errorf("Innovation Produits is not among lea's communities")
	}
}

// TestBrowserInboxPhoneWidth opens the inbox pages at 360 px: none scrolls
// sideways.
func TestBrowserInboxPhoneWidth(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, "sqlite", server.Options{})
	svc, bg := e.services(), context.Background()
	olivia := e.user("olivia")
	if _, err := svc.HidePost(bg, olivia, e.postID(clientsPro, xaviersClientsThread), "Pas de démarchage ni de données personnelles dans les messages",
		"Le message donne un numéro de contrat complet : retirez-le avant de le publier à nouveau."); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetWelcome(bg, olivia, e.spaces[clientsPro], "Bienvenue chez Clients Pro ! Présentez votre entreprise en une ligne."); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.HidePost(bg, e.user("samir"), e.postID(innovation, paulsInnovationThread), "Une idée par fil",
		"Ce fil mélange trois sujets : ouvrez-en un par idée."); err != nil {
		t.Fatal(err)
	}

	signInWithBrowser(t, ctx, e.srv.URL, "samir")
	for _, p := range []struct{ path, ready, name string }{
		{"/approvals", "approvals-h", "approvals-actions"},
		{"/copilots", "copilots-h", "copilots"},
		{"/copilots/" + strconv.FormatInt(olivia.ID, 10), "copilots-h", "copilot"},
		{"/communities", "communities-h", "communities"},
	} {
		must(t, "open "+p.path, chromedp.Do(ctx,
			chromedp.Navigate(e.srv.URL+p.path),
			chromedp.WaitVisible(chromedp.ID(p.ready)),
		))
		fitsPhone(t, ctx, p.name)
	}
	signOutWithBrowser(t, ctx)

	signInWithBrowser(t, ctx, e.srv.URL, "paul")
	must(t, "paul's notifications", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`nav.menu a[href="/notifications"]`)),
		chromedp.WaitVisible(chromedp.ID("notifications-h")),
	))
	if q := text(t, ctx, ".notification.unread .quote"); q != "Une idée par fil" {
		t.Errorf("first quote of paul's notification %q", q)
	}
	fitsPhone(t, ctx, "notifications")
	must(t, "mark read", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`form.mark-read button`)),
		chromedp.WaitVisible(chromedp.CSS(`.notice.ok`)),
	))
	if n := count(t, ctx, ".notification.unread"); n != 0 {
		t.Errorf("%d notifications still unread", n)
	}
	if l := text(t, ctx, `nav.menu a[href="/notifications"]`); l != "Notifications" {
		t.Errorf("header link after marking read %q", l)
	}
}
