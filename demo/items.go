package demo

import (
	"fmt"
	"time"

	"relais"
	"relais/store"
)

// items turns conversations of Support Lyon into actionable items: paul
// takes on, as a task due next week, what he offered in a reply; a problem
// marc solved; paul's best practice, which marc shares in the library and
// nadia reuses in Ventes Paris. The demo people act for themselves, so no
// notification is left unread.
func (l *loader) items(support, ventes int64) {
	if l.err != nil {
		return
	}
	paul, marc, nadia := l.users["paul"], l.users["marc"], l.users["nadia"]
	find := func(space int64, title string) *relais.Post {
		if l.err != nil {
			return nil
		}
		ps, err := l.st.Posts(l.ctx, store.PostFilter{SpaceID: space, Limit: 100})
		if l.err = err; err != nil {
			return nil
		}
		for _, p := range ps {
			if p.Title == title {
				return p
			}
		}
		l.err = fmt.Errorf("demo: no thread %q", title)
		return nil
	}

	// A task from paul's reply to the priorities of the week.
	if prio := find(support, "Priorités de la semaine 47"); prio != nil {
		var replyID int64
		rs, err := l.st.Replies(l.ctx, prio.ID, paul.ID)
		if l.err = err; err != nil {
			return
		}
		for _, r := range rs {
			if r.AuthorID == paul.ID {
				replyID = r.ID
				break
			}
		}
		l.err = l.st.CreateTask(l.ctx, &relais.Task{SpaceID: support, PostID: prio.ID, ReplyID: replyID,
			Title: "Rédiger la fiche réflexe pour la bascule du standard", OwnerID: paul.ID,
			DueOn: l.now.AddDate(0, 0, 7).Format(time.DateOnly), CreatedBy: paul.ID, CreatedAt: l.now.Add(-5 * day)})
	}

	// A problem, solved by marc's answer.
	if l.err == nil {
		p := &relais.Post{SpaceID: support, AuthorID: paul.ID, Kind: relais.KindProblem, Status: relais.StatusPublished,
			Title:     "Remboursement refusé au-delà de 500 € dans l'outil de caisse",
			Body:      "Depuis ce matin, l'outil de caisse refuse tout remboursement de plus de 500 € avec le message *droits insuffisants*. Le client du ticket #48302 attend son avoir.",
			CreatedAt: l.now.Add(-20 * time.Hour)}
		if l.err = l.st.CreatePost(l.ctx, p); l.err != nil {
			return
		}
		sol := &relais.Reply{PostID: p.ID, AuthorID: marc.ID, Status: relais.StatusPublished, CreatedAt: l.now.Add(-19 * time.Hour),
			Body: "C'est le plafond de ton profil : je viens de demander à l'IT d'ajouter le droit *remboursement étendu* aux profils N2. Déconnecte-toi puis reconnecte-toi, ça devrait passer."}
		if l.err = l.st.CreateReply(l.ctx, sol, support); l.err != nil {
			return
		}
		l.err = l.st.CreateReply(l.ctx, &relais.Reply{PostID: p.ID, AuthorID: paul.ID, Status: relais.StatusPublished,
			CreatedAt: l.now.Add(-18 * time.Hour), Body: "Ça fonctionne, l'avoir est parti. Merci Marc !"}, support)
		if l.err == nil {
			l.err = l.st.MarkSolution(l.ctx, p.ID, sol.ID, marc.ID)
		}
	}

	// paul's best practice, shared by marc and reused in Ventes Paris.
	if bp := find(support, "Fiche réflexe : remboursement partiel en moins de 5 minutes"); bp != nil {
		pr := &relais.Practice{SpaceID: support, PostID: bp.ID, SharedBy: marc.ID, SharedAt: l.now.Add(-12 * time.Hour),
			Title: "Remboursement partiel en moins de 5 minutes",
			Summary: "Vérifier d'abord le statut de livraison ; choisir le motif « geste commercial » plutôt que « litige » quand le client a raison ; " +
				"envoyer un mail type qui explique le délai bancaire. Résultat : le client ne rappelle plus dans 9 cas sur 10.",
			Tags: []string{"remboursement", "relation client", "support"}}
		if l.err = l.st.SharePractice(l.ctx, pr); l.err != nil {
			return
		}
		l.err = l.st.ReusePractice(l.ctx, pr.ID, &relais.Post{SpaceID: ventes, AuthorID: nadia.ID, Kind: relais.KindBestPractice,
			Status: relais.StatusPublished, Title: pr.Title, CreatedAt: l.now.Add(-2 * time.Hour),
			Body: pr.Summary + "\n\nÀ essayer chez nous pour les avoirs de fin d'année : la pratique vient de l'équipe Support de Lyon."})
	}
}
