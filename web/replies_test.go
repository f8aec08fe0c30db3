package web_test

import (
	"context"
	"strconv"
	"testing"

	"relais"
)

// TestReplyNotification: victor's reply to paul's thread is in paul's
// notifications, in French and English, with a link to the reply.
func TestReplyNotification(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		paul, _ := e.st.UserByLogin(ctx, "paul")
		victor, _ := e.st.UserByLogin(ctx, "victor")
		p, err := e.svc.CreatePost(ctx, paul, e.spaces[innovation], relais.NewPost{Kind: relais.KindQuestion, Title: "Qui a la maquette ?", Body: "Pour jeudi."})
		if err != nil {
			t.Fatal(err)
		}
		r, err := e.svc.Reply(ctx, victor, p.ID, "Je l'ai.")
		if err != nil {
			t.Fatal(err)
		}
		link := `/posts/` + strconv.FormatInt(p.ID, 10) + `#reply-` + strconv.FormatInt(r.ID, 10)
		fr := e.browser(t, "fr")
		fr.signIn("paul")
		mustContain(t, fr.get("/notifications"), "Victor Lemaire a répondu à votre fil « Qui a la maquette ? » (Innovation Produits).", link, "Voir la réponse")
		en := e.browser(t, "en")
		en.signIn("paul")
		mustContain(t, en.get("/notifications"), "Victor Lemaire replied to your thread “Qui a la maquette ?” (Innovation Produits).", "See the reply")
	})
}
