// Package demo loads the demo organization of shared/API.md: ten accounts
// that show each actor's field of action, two communities and two team
// spaces with realistic French threads.
package demo

import (
	"context"
	"fmt"
	"io"
	"time"

	"relais"
	"relais/auth"
	"relais/store"
)

// Account is one demo login and what it demonstrates.
type Account struct {
	Login string
	Name  string
	Who   string
}

// Accounts lists the demo logins in the order of shared/API.md.
var Accounts = []Account{
	{"admin", "Alex Martin", "administrateur (IT) / administrator (IT)"},
	{"claire", "Claire Dubois", "community manager, unité Communication"},
	{"samir", "Samir Benali", "social media manager interne, anime « Innovation Produits »"},
	{"olivia", "Olivia Hart", "social media manager externe, en doubles commandes (mentor : samir), anime « Clients Pro »"},
	{"victor", "Victor Lemaire", "directeur de l'unité Produit, sponsor d'« Innovation Produits »"},
	{"marc", "Marc Girard", "manager de l'équipe « Support Lyon »"},
	{"paul", "Paul Lefèvre", "membre de « Support Lyon » et d'« Innovation Produits »"},
	{"nadia", "Nadia Haddad", "manager de l'équipe « Ventes Paris »"},
	{"lea", "Léa Moreau", "membre de « Ventes Paris », dans aucune communauté"},
	{"xavier", "Xavier Roux", "client externe, membre de « Clients Pro »"},
}

// Loaded reports whether the database already holds accounts (the demo's
// or any other organization's).
func Loaded(ctx context.Context, st *store.Store) (bool, error) {
	us, err := st.Users(ctx, "")
	return len(us) > 0, err
}

type loader struct {
	ctx   context.Context
	st    *store.Store
	users map[string]*relais.User
	units map[string]int64
	now   time.Time
	err   error
}

// Load fills an empty database with the demo organization; every account
// gets password. It refuses a database that already holds accounts.
func Load(ctx context.Context, st *store.Store, password string) error {
	if loaded, err := Loaded(ctx, st); err != nil {
		return err
	} else if loaded {
		return fmt.Errorf("demo: the database already holds an organization")
	}
	l := &loader{ctx: ctx, st: st, users: map[string]*relais.User{}, units: map[string]int64{}, now: time.Now().UTC()}
	for _, name := range []string{"Communication", "Produit", "Support", "Ventes", "IT", "Clients"} {
		if l.err == nil {
			var u *relais.Unit
			u, l.err = st.CreateUnit(ctx, name)
			if u != nil {
				l.units[name] = u.ID
			}
		}
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	type person struct {
		login, email, unit, site, job string
		emp                           relais.Employment
		roles                         []relais.Role
	}
	for i, p := range []person{
		{"admin", "alex.martin@relais.example", "IT", "Lyon", "IT", relais.Internal, []relais.Role{relais.RoleAdministrator}},
		{"claire", "claire.dubois@relais.example", "Communication", "Paris", "Communication", relais.Internal, []relais.Role{relais.RoleCommunityManager}},
		{"samir", "samir.benali@relais.example", "Communication", "Paris", "Communication", relais.Internal, []relais.Role{relais.RoleSocialMediaManager}},
		{"olivia", "olivia.hart@agence-lumen.example", "", "", "Communication", relais.External, []relais.Role{relais.RoleSocialMediaManager}},
		{"victor", "victor.lemaire@relais.example", "Produit", "Paris", "Direction", relais.Internal, nil},
		{"marc", "marc.girard@relais.example", "Support", "Lyon", "Support", relais.Internal, nil},
		{"paul", "paul.lefevre@relais.example", "Support", "Lyon", "Support", relais.Internal, nil},
		{"nadia", "nadia.haddad@relais.example", "Ventes", "Paris", "Ventes", relais.Internal, nil},
		{"lea", "lea.moreau@relais.example", "Ventes", "Paris", "Ventes", relais.Internal, nil},
		{"xavier", "xavier.roux@garage-roux.example", "", "", "", relais.External, nil},
	} {
		u := &relais.User{Login: p.login, Name: Accounts[i].Name, Email: p.email, Employment: p.emp,
			UnitID: l.units[p.unit], Site: p.site, JobFamily: p.job, Roles: p.roles,
			CreatedAt: l.now.Add(-120 * 24 * time.Hour)}
		if l.err == nil {
			l.err = st.CreateUser(ctx, u, hash)
		}
		l.users[p.login] = u
	}
	if l.err != nil {
		return l.err
	}
	if err := st.SetCoPilot(ctx, l.users["olivia"].ID, true, l.users["samir"].ID); err != nil {
		return err
	}
	// The heads of the sponsoring units own the signals routed to them.
	for unit, head := range map[string]string{"Produit": "victor", "Ventes": "nadia"} {
		if err := st.SetUnitHead(ctx, l.units[unit], l.users[head].ID); err != nil {
			return err
		}
	}

	support := l.team("Support Lyon", "Support", "marc", "paul")
	ventes := l.team("Ventes Paris", "Ventes", "nadia", "lea")
	supportSpace := l.space(&relais.Space{Name: "Support Lyon", Kind: relais.SpaceTeam, Audience: relais.AudienceInternal,
		JoinPolicy: relais.JoinDirectory, Flow: relais.InTheFlow, TeamID: support,
		Description: "L'espace de travail de l'équipe Support de Lyon : priorités, incidents, entraide."},
		&relais.Charter{Objective: "Coordonner le support de niveau 2 et partager les solutions aux incidents clients.",
			Rules:           "On reste factuel et bienveillant. Les données clients restent dans les outils de ticketing : ici, seulement des numéros de ticket.",
			Autonomy:        "Chacun peut proposer une solution ; le manager arbitre les priorités de la semaine.",
			ExpectedActions: "Poster ses priorités le lundi, signaler tout incident bloquant, documenter les solutions trouvées."})
	ventesSpace := l.space(&relais.Space{Name: "Ventes Paris", Kind: relais.SpaceTeam, Audience: relais.AudienceInternal,
		JoinPolicy: relais.JoinDirectory, Flow: relais.InTheFlow, TeamID: ventes,
		Description: "L'espace de l'équipe commerciale de Paris."},
		&relais.Charter{Objective: "Suivre le pipe commercial et partager ce qui marche en rendez-vous client.",
			Rules:           "Pas de tarif client nominatif ici ; les chiffres détaillés restent dans le CRM.",
			Autonomy:        "Chacun organise ses rendez-vous ; les remises au-delà de 10 % se valident avec la manager.",
			ExpectedActions: "Partager une bonne pratique par mois, noter les décisions de l'équipe."})
	innovation := l.space(&relais.Space{Name: "Innovation Produits", Kind: relais.SpaceCommunity, Audience: relais.AudienceInternal,
		JoinPolicy: relais.JoinOpen, Flow: relais.AboveTheFlow, SponsorUnitID: l.units["Produit"],
		Description: "Faire remonter du terrain les idées et irritants qui feront les produits de demain."},
		&relais.Charter{Objective: "Relier le terrain (support, ventes) et l'équipe Produit pour améliorer nos offres.",
			Rules:           "Une idée par fil ; on décrit le problème avant la solution ; on respecte les personnes et la confidentialité client.",
			Autonomy:        "Les membres proposent et votent ; l'unité Produit décide de ce qui entre dans la feuille de route.",
			ExpectedActions: "Décrire les irritants clients, réagir aux idées des autres, répondre aux questions du Produit."})
	clients := l.space(&relais.Space{Name: "Clients Pro", Kind: relais.SpaceCommunity, Audience: relais.AudienceMixed,
		JoinPolicy: relais.JoinRequest, Flow: relais.AboveTheFlow, SponsorUnitID: l.units["Ventes"],
		Description: "La communauté de nos clients professionnels et de nos experts."},
		&relais.Charter{Objective: "Aider nos clients professionnels à tirer le meilleur de nos produits, avec nos experts.",
			Rules:           "Pas de données personnelles ni de numéros de contrat dans les messages ; courtoisie de rigueur ; pas de démarchage.",
			Autonomy:        "Les animateurs valident les adhésions et modèrent ; les réclamations suivent le circuit du service client.",
			ExpectedActions: "Poser ses questions, partager ses retours d'usage, signaler les réponses utiles."})

	l.steward(innovation, "samir")
	l.steward(clients, "olivia")
	for _, m := range []struct {
		space int64
		login string
	}{{innovation, "paul"}, {innovation, "victor"}, {innovation, "marc"}, {clients, "xavier"}, {clients, "samir"}, {clients, "nadia"}} {
		if l.err == nil {
			source := relais.SourceOpen
			if m.space == clients {
				source = relais.SourceRequest
			}
			l.err = st.Join(ctx, &relais.Membership{SpaceID: m.space, UserID: l.users[m.login].ID, CharterVersion: 1,
				JoinedAt: l.now.Add(-60 * 24 * time.Hour), Source: source})
		}
	}

	// Set after the demo members joined, so that only newcomers receive them.
	for _, w := range []struct {
		space int64
		text  string
	}{
		{innovation, "Bienvenue dans « Innovation Produits » ! Présentez-vous en une ligne, puis partagez le premier irritant client que vous aimeriez voir disparaître."},
		{clients, "Bienvenue chez « Clients Pro » ! Posez vos questions d'usage : nos experts répondent sous 48 heures ouvrées. Pour une réclamation, passez par votre service client."},
	} {
		if l.err == nil {
			l.err = st.SetWelcome(ctx, w.space, l.users["claire"].ID, w.text)
		}
	}
	l.threads(supportSpace, ventesSpace, innovation, clients)
	l.items(supportSpace, ventesSpace)
	l.routines(supportSpace)
	l.plan(innovation, clients)
	l.coaching(support, innovation)
	return l.err
}

func (l *loader) team(name, unit, manager string, members ...string) int64 {
	if l.err != nil {
		return 0
	}
	t := &relais.Team{Name: name, UnitID: l.units[unit], ManagerID: l.users[manager].ID}
	if l.err = l.st.CreateTeam(l.ctx, t); l.err != nil {
		return 0
	}
	for _, m := range append([]string{manager}, members...) {
		if l.err == nil {
			l.err = l.st.AddTeamMember(l.ctx, t.ID, l.users[m].ID)
		}
	}
	return t.ID
}

func (l *loader) space(sp *relais.Space, c *relais.Charter) int64 {
	if l.err != nil {
		return 0
	}
	sp.CreatedAt = l.now.Add(-90 * 24 * time.Hour)
	c.CreatedAt = sp.CreatedAt
	l.err = l.st.CreateSpace(l.ctx, sp, c, l.users["claire"].ID)
	return sp.ID
}

func (l *loader) steward(space int64, login string) {
	if l.err == nil {
		l.err = l.st.AddSteward(l.ctx, space, l.users[login].ID)
	}
}

// thread is a demo post with its replies, each "ago" before now.
type thread struct {
	space   int64
	author  string
	kind    relais.PostKind
	title   string
	body    string
	ago     time.Duration
	replies []reply
}

type reply struct {
	author string
	body   string
	ago    time.Duration
}

func (l *loader) post(t thread) {
	if l.err != nil {
		return
	}
	p := &relais.Post{SpaceID: t.space, AuthorID: l.users[t.author].ID, Kind: t.kind, Title: t.title, Body: t.body,
		Status: relais.StatusPublished, CreatedAt: l.now.Add(-t.ago)}
	if l.err = l.st.CreatePost(l.ctx, p); l.err != nil {
		return
	}
	for _, r := range t.replies {
		if l.err == nil {
			l.err = l.st.CreateReply(l.ctx, &relais.Reply{PostID: p.ID, AuthorID: l.users[r.author].ID, Body: r.body,
				Status: relais.StatusPublished, CreatedAt: l.now.Add(-r.ago)}, t.space)
		}
	}
}

// Write prints the demo accounts and the URL to w. An empty password says
// the accounts keep the password they were given when loaded.
func Write(w io.Writer, url, password string) {
	if password == "" {
		fmt.Fprintf(w, "Relais demo organization — open %s and sign in with one of these accounts (with the password set when it was loaded):\n", url)
	} else {
		fmt.Fprintf(w, "Relais demo organization — open %s and sign in with one of these accounts (password %q):\n", url, password)
	}
	for _, a := range Accounts {
		fmt.Fprintf(w, "  %-7s %-15s %s\n", a.Login, a.Name, a.Who)
	}
}
