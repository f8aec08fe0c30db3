package web

// searchMessages are the texts of the search page's filters, counts and
// suggestions, merged into messages at start-up.
var searchMessages = map[string]map[string]string{
	"fr": {
		"search.syntax":             "Des mots (tous présents), \"une expression\" entre guillemets, livr* pour le début d'un mot, -mot pour l'exclure.",
		"search.filters":            "Filtres",
		"search.filter.space":       "Espace",
		"search.filter.any_space":   "Tous les espaces que vous lisez",
		"search.filter.kind":        "Type",
		"search.filter.any_kind":    "Tous les types",
		"search.filter.solved":      "Problèmes",
		"search.filter.any":         "Tous",
		"search.filter.solved_yes":  "Résolus",
		"search.filter.solved_no":   "Non résolus",
		"search.filter.author":      "Auteur",
		"search.filter.author_hint": "identifiant, par exemple paul",
		"search.filter.after":       "Depuis le",
		"search.filter.before":      "Jusqu'au",
		"search.count.capped":       "Plus de %s résultats",
		"search.next":               "Résultats suivants",
		"search.solved":             "résolu",
		"search.suggest":            "Essayez avec moins de mots, une autre orthographe ou un mot proche, ou le début d'un mot suivi de * (livr*).",
		"search.suggest_filters":    "Retirez un filtre.",
	},
	"en": {
		"search.syntax":             "Words (all present), \"a phrase\" in quotes, livr* for the start of a word, -word to exclude it.",
		"search.filters":            "Filters",
		"search.filter.space":       "Space",
		"search.filter.any_space":   "Every space you read",
		"search.filter.kind":        "Kind",
		"search.filter.any_kind":    "Every kind",
		"search.filter.solved":      "Problems",
		"search.filter.any":         "All",
		"search.filter.solved_yes":  "Solved",
		"search.filter.solved_no":   "Not solved",
		"search.filter.author":      "Author",
		"search.filter.author_hint": "login, for instance paul",
		"search.filter.after":       "From",
		"search.filter.before":      "Until",
		"search.count.capped":       "%s+ results",
		"search.next":               "Next results",
		"search.solved":             "solved",
		"search.suggest":            "Try fewer words, another spelling or a close word, or the start of a word followed by * (livr*).",
		"search.suggest_filters":    "Remove a filter.",
	},
}

func init() { mergeMessages("search", searchMessages) }
