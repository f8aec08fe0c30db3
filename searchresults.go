package relais

import "time"

// SearchResult is one thread found by a search; ReplyID is set when the
// words were found in a reply.
type SearchResult struct {
	PostID    int64     `json:"post_id"`
	ReplyID   int64     `json:"reply_id,omitempty"`
	SpaceID   int64     `json:"space_id"`
	SpaceName string    `json:"space_name"`
	Kind      PostKind  `json:"kind"`
	Title     string    `json:"title"`
	Excerpt   string    `json:"excerpt"`
	CreatedAt time.Time `json:"created_at"`
}

// SearchHit is a result of SearchPosts: the thread or reply, who wrote
// it, and a snippet of its text around the words found.
type SearchHit struct {
	SearchResult
	AuthorID   int64  `json:"author_id"`
	AuthorName string `json:"author_name"`
	// Snippet is HTML: the text escaped, the words found in <mark>.
	Snippet string `json:"snippet"`
	Solved  bool   `json:"solved,omitempty"`
}
