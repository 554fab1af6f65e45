%# The table of contents of a chapter (of the whole guide, at the top).
%# Pages inside chapters show their descriptions when the guide is small.
<ol class="contents{{" contents-chapter" if depth else ""}}">
% for entry in chapter.entries:
%   if hasattr(entry, "entries"):
  <li class="contents-chapter-item" id="{{entry.anchor}}">
    <span class="title-number">{{entry.number}}</span> <a class="contents-chapter-title" href="{{entry.url}}">{{entry.title}}</a>
%     if entry.description:
    <p>{{entry.description}}</p>
%     end
%     include('contents', chapter=entry, numbers=numbers, depth=depth + 1, describe_all=describe_all)
  </li>
%   else:
  <li>
    <span class="title-number">{{numbers.get(entry.slug, "")}}</span> <a href="{{entry.url}}">{{entry.title}}</a>
%     if entry.description and (depth == 0 or describe_all):
    <p>{{entry.description}}</p>
%     end
  </li>
%   end
% end
</ol>
