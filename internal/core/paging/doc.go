// Package paging turns store keyset pages into AWS-style opaque NextToken
// strings and back, and bounds MaxResults.
package paging
