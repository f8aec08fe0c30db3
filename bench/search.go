package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"

	"relais"
	"relais/store"
)

// The search data set: texts drawn from a vocabulary of 50,000 words with
// a Zipf law, as words are used, the most frequent ones real French words;
// one thread in ten holds one of a few set expressions. The draw depends
// on the thread's number only, so that any process knows the words of each
// frequency class.
const vocabularySize = 50000

var commonWords = []string{"client", "commande", "livraison", "équipe", "projet", "réunion", "facture", "délai",
	"produit", "service", "support", "contrat", "demande", "problème", "solution", "mise", "jour", "semaine",
	"retour", "question", "site", "accès", "compte", "version", "données", "rapport", "planning", "stock",
	"formation", "prix", "offre", "appel", "ticket", "serveur", "portail", "export", "import", "devis", "relance", "agence"}

var expressions = []string{"bon de commande", "délai de livraison", "mise en production", "service client",
	"retour d'expérience", "prise en charge", "point d'étape", "cahier des charges", "mot de passe", "fin de mois"}

var syllables = func() []string {
	var out []string
	for _, c := range "bcdfglmnprstvz" {
		for _, v := range "aeiou" {
			out = append(out, string(c)+string(v))
		}
	}
	return out
}()

// word returns the word of a rank of the vocabulary (0: the most used).
func word(rank int) string {
	if rank < len(commonWords) {
		return commonWords[rank]
	}
	n, w := rank, ""
	for range 3 {
		w += syllables[n%len(syllables)]
		n /= len(syllables)
	}
	return w + "x" // a consonant at the end: the stemmers leave it whole
}

// SearchText returns the title and body of the i-th thread of the search
// data set.
func SearchText(i int) (title, body string) {
	r := rand.New(rand.NewPCG(uint64(i), 0x5eed))
	z := rand.NewZipf(r, 1.07, 1, vocabularySize-1)
	draw := func(n int) string {
		b := make([]byte, 0, n*9)
		for k := range n {
			if k > 0 {
				b = append(b, ' ')
			}
			b = append(b, word(int(z.Uint64()))...)
		}
		return string(b)
	}
	title = draw(6)
	body = draw(20)
	if r.IntN(10) == 0 {
		body += " " + expressions[r.IntN(len(expressions))]
	}
	body += " " + draw(20) + "."
	return title, body
}

// SearchQueries returns the queries of each class of the search workload:
// rare words (a few dozen threads in a million), medium (thousands),
// common (hundreds of thousands), two words, phrases and prefixes.
func SearchQueries() map[string][]string {
	q := map[string][]string{}
	for i := range 40 {
		q["rare"] = append(q["rare"], word(25000+i*577))
		q["medium"] = append(q["medium"], word(300+i*37))
		q["two-word"] = append(q["two-word"], word(300+i*41)+" "+word(2+i%10))
		q["prefix"] = append(q["prefix"], word(400 + i*31)[:4]+"*")
	}
	q["common"] = []string{}
	for i := range 15 {
		q["common"] = append(q["common"], word(1+i))
	}
	for _, e := range expressions {
		q["phrase"] = append(q["phrase"], `"`+e+`"`)
	}
	return q
}

// SearchClasses lists the classes of SearchQueries in report order.
var SearchClasses = []string{"rare", "medium", "common", "two-word", "phrase", "prefix"}

// SeedSearch loads posts threads of the search data set into the spaces,
// by authors new people, over the year up to an hour ago, with their
// index. It returns how long it took.
func SeedSearch(ctx context.Context, st *store.Store, spaceIDs []int64, posts, authors int) (time.Duration, error) {
	start := time.Now()
	var ids []int64
	for i := range authors {
		u := &relais.User{Login: fmt.Sprintf("search-author-%d", i), Name: fmt.Sprintf("Autrice %d", i), Employment: relais.Internal}
		if err := st.CreateUser(ctx, u, ""); err != nil {
			return 0, err
		}
		ids = append(ids, u.ID)
	}
	now := time.Now()
	err := st.LoadSearchBulk(ctx, store.BulkSearch{SpaceIDs: spaceIDs, Authors: ids, Posts: posts,
		From: now.AddDate(-1, 0, 0), To: now.Add(-time.Hour), Text: SearchText})
	return time.Since(start), err
}

// Search runs the queries of a class in turn ops times from workers
// concurrent searchers, through GET /api/v1/search.
func Search(ctx context.Context, c *http.Client, base, token, class string, queries []string, workers, ops int) Result {
	return run(ctx, fmt.Sprintf("search %s/searchers=%d", class, workers), workers, ops, func(ctx context.Context, i int) error {
		req, err := http.NewRequestWithContext(ctx, "GET", base+"/api/v1/search?q="+url.QueryEscape(queries[i%len(queries)]), nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		return do(c, req, 200)
	})
}
